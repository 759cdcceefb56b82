package dev.outrigger.election;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Per election: {@code outrigger_election_is_leader} (the standard
 * {@code leader_election_master_status} shape), {@code outrigger_election_fencing_token},
 * and {@code outrigger_election_leader_changes_total}.
 */
public final class ElectionMetrics implements MeterBinder {

	private final Elections elections;

	public ElectionMetrics(Elections elections) {
		this.elections = elections;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (Election election : this.elections.all()) {
			Gauge.builder("outrigger.election.is.leader", election, (e) -> e.state().isLeader() ? 1 : 0)
				.description("1 while this candidate leads the election")
				.tag("election", election.name())
				.register(registry);
			Gauge.builder("outrigger.election.fencing.token", election, (e) -> e.state().fencingToken())
				.description("The current leader's fencing token as this candidate knows it")
				.tag("election", election.name())
				.register(registry);
			Counter changes = Counter.builder("outrigger.election.leader.changes")
				.description("Changes of leader (including to and from no leader) seen by this candidate")
				.tag("election", election.name())
				.register(registry);
			election.listenToChanges((state) -> changes.increment());
		}
	}

}
