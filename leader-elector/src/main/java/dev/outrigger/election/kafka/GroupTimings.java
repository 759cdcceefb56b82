package dev.outrigger.election.kafka;

import java.time.Duration;

import dev.outrigger.election.ElectionTimings;

/**
 * How an election's timings map onto a Kafka consumer group, within what the broker
 * accepts.
 *
 * @param sessionTimeout the group's {@code session.timeout.ms}: the lease, raised to the
 * broker's {@code group.min.session.timeout.ms} (6 s by default) or lowered to its
 * {@code group.max.session.timeout.ms}
 * @param heartbeatInterval {@code heartbeat.interval.ms}: the retry period, below a third
 * of the session
 * @param giveUpAfter a member that has heard nothing from the coordinator this long says
 * it no longer leads: the renew deadline, never more, shortened by as much as the session
 * falls short of the lease
 * @param pollInterval how long one turn of the poll loop waits, and how often the
 * watchdog looks
 * @param maxPollInterval {@code max.poll.interval.ms}, also the classic protocol's
 * rebalance timeout: long enough that a leader busy writing its term is never evicted for
 * it
 * @param clientTimeout the longest one blocking client call (a transaction, a read) may
 * take
 * @param retryPeriod how long a candidate waits before it tries again or rejoins
 */
record GroupTimings(Duration sessionTimeout, Duration heartbeatInterval, Duration giveUpAfter, Duration pollInterval,
		Duration maxPollInterval, Duration clientTimeout, Duration retryPeriod) {

	/**
	 * Kafka's own defaults for the session bounds, used when the broker will not tell its
	 * own.
	 */
	static final Duration DEFAULT_MIN_SESSION = Duration.ofSeconds(6);

	static final Duration DEFAULT_MAX_SESSION = Duration.ofMinutes(30);

	static GroupTimings of(ElectionTimings timings, Duration minSession, Duration maxSession) {
		Duration lease = timings.leaseDuration();
		Duration retry = timings.retryPeriod();
		Duration session = max(minSession, min(lease, maxSession));
		// a session shorter than the lease lets the coordinator move the partition
		// sooner, so the
		// leader must give up sooner by the same amount to still go first
		Duration shortfall = max(Duration.ZERO, lease.minus(session));
		Duration giveUp = timings.renewDeadline().minus(shortfall);
		if (giveUp.compareTo(Duration.ZERO) <= 0) {
			giveUp = session.dividedBy(2);
		}
		Duration heartbeat = min(retry, session.dividedBy(3));
		Duration poll = max(Duration.ofMillis(10), min(Duration.ofMillis(100), retry.dividedBy(10)));
		Duration maxPoll = max(Duration.ofMinutes(1), session.multipliedBy(4));
		Duration clientTimeout = max(retry, timings.renewDeadline().dividedBy(2));
		return new GroupTimings(session, heartbeat, giveUp, poll, maxPoll, clientTimeout, retry);
	}

	static GroupTimings withDefaultBounds(ElectionTimings timings) {
		return of(timings, DEFAULT_MIN_SESSION, DEFAULT_MAX_SESSION);
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

}
