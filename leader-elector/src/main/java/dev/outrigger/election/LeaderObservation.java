package dev.outrigger.election;

import org.jspecify.annotations.Nullable;

/**
 * What a backend confirmed about one election.
 *
 * @param leader the candidate id that leads, or {@code null} when nobody does (or this
 * candidate can no longer tell)
 * @param fencingToken the leader's fencing token: strictly greater for every new term; 0
 * when nobody leads or the token is unknown to a follower
 */
public record LeaderObservation(@Nullable String leader, long fencingToken) {

	public static LeaderObservation nobody() {
		return new LeaderObservation(null, 0);
	}

}
