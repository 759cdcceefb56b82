package dev.outrigger.election;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What this sidecar knows about one election, as served by {@code GET /leader}.
 *
 * @param election the election's name
 * @param leader who leads, or {@code null} when nobody does
 * @param self this candidate's id
 * @param isLeader whether this candidate leads
 * @param fencingToken the leader's fencing token (0 when unknown or nobody leads)
 * @param since when this state began, on this sidecar's clock
 * @param backend which backend decides
 */
public record LeaderState(String election, @Nullable String leader, String self, boolean isLeader, long fencingToken,
		Instant since, String backend) {

	static LeaderState initial(String election, String self, String backend, Instant now) {
		return new LeaderState(election, null, self, false, 0, now, backend);
	}

	/** Whether {@code observation} says something other than this state. */
	boolean differsFrom(LeaderObservation observation) {
		return !Objects.equals(this.leader, observation.leader()) || this.fencingToken != observation.fencingToken();
	}

	LeaderState with(LeaderObservation observation, Instant now) {
		return new LeaderState(this.election, observation.leader(), this.self, this.self.equals(observation.leader()),
				observation.fencingToken(), now, this.backend);
	}

}
