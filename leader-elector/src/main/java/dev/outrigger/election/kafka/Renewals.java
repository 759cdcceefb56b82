package dev.outrigger.election.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.jspecify.annotations.Nullable;

/**
 * When this member last heard from its group coordinator, read from the consumer's own
 * metrics.
 * <p>
 * Rebalance callbacks do not fire while the coordinator is unreachable, so the leader
 * needs its own clock. The classic consumer counts every heartbeat, JoinGroup and
 * SyncGroup response it receives ({@code heartbeat-total}, {@code join-total},
 * {@code sync-total} in {@code consumer-coordinator-metrics}); the metrics are
 * thread-safe, so the watchdog samples them even when the poll thread is busy. A count
 * that rose since the previous sample proves a response arrived after that sample, so its
 * request left no earlier than the previous sample minus the slowest heartbeat round trip
 * ({@code heartbeat-response-time-max}); the coordinator restarted the session no earlier
 * than that. That instant is the renewal, a lower bound, so giving up a renew deadline
 * after it always comes before the coordinator's session timeout.
 */
final class Renewals {

	private static final String GROUP = "consumer-coordinator-metrics";

	private static final Set<String> RESPONSE_COUNTS = Set.of("heartbeat-total", "join-total", "sync-total");

	private static final String ROUND_TRIP = "heartbeat-response-time-max";

	private List<Metric> counts = List.of();

	private @Nullable Metric roundTrip;

	private double seen;

	private long sampledAt;

	private long renewedAt;

	/**
	 * Starts the clock at {@code now}: a candidate holds nothing yet, so this claims
	 * nothing.
	 */
	Renewals(long now) {
		this.sampledAt = now;
		this.renewedAt = now;
	}

	/** Follows the responses of {@code consumer}, a new group member, from now on. */
	synchronized void watch(Consumer<?, ?> consumer, long now) {
		List<Metric> counts = new ArrayList<>();
		Metric roundTrip = null;
		for (Map.Entry<MetricName, ? extends Metric> entry : consumer.metrics().entrySet()) {
			MetricName name = entry.getKey();
			if (GROUP.equals(name.group()) && RESPONSE_COUNTS.contains(name.name())) {
				counts.add(entry.getValue());
			}
			else if (GROUP.equals(name.group()) && ROUND_TRIP.equals(name.name())) {
				roundTrip = entry.getValue();
			}
		}
		if (counts.size() != RESPONSE_COUNTS.size()) {
			throw new IllegalStateException("The Kafka consumer does not publish " + RESPONSE_COUNTS + " in " + GROUP
					+ "; the classic group protocol is required");
		}
		this.counts = List.copyOf(counts);
		this.roundTrip = roundTrip;
		this.seen = total();
		this.sampledAt = now;
	}

	/** Looks at the counts; call often (every poll interval) to keep the bound tight. */
	synchronized void sample(long now) {
		double total = total();
		if (total > this.seen) {
			this.seen = total;
			this.renewedAt = Math.max(this.renewedAt, this.sampledAt - roundTripNanos());
		}
		this.sampledAt = now;
	}

	/**
	 * Nanoseconds since the coordinator last restarted this member's session, at the
	 * latest.
	 */
	synchronized long sinceRenewal(long now) {
		return now - this.renewedAt;
	}

	private double total() {
		double total = 0;
		for (Metric count : this.counts) {
			total += value(count);
		}
		return total;
	}

	private long roundTripNanos() {
		double millis = (this.roundTrip != null) ? value(this.roundTrip) : 0;
		return (long) (millis * 1_000_000);
	}

	private static double value(Metric metric) {
		// a closed consumer's metrics, and a Max with no samples yet, read as NaN or
		// nothing
		return (metric.metricValue() instanceof Number number && !Double.isNaN(number.doubleValue()))
				? number.doubleValue() : 0;
	}

}
