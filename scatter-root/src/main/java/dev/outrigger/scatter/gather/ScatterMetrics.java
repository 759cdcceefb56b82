package dev.outrigger.scatter.gather;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The root's meters: {@code outrigger_scatter_requests_seconds} (a histogram, by route
 * and outcome: complete, partial, failed, no_leaves),
 * {@code outrigger_scatter_leaf_seconds} (per shard and result),
 * {@code outrigger_scatter_hedges_sent_total},
 * {@code outrigger_scatter_hedges_won_total},
 * {@code outrigger_scatter_hedge_budget_exhausted_total} and
 * {@code outrigger_scatter_partial_responses_total}, each by route.
 */
public final class ScatterMetrics {

	private static final String LEAF = "outrigger.scatter.leaf";

	private final MeterRegistry registry;

	public ScatterMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void request(String route, String outcome, long nanos) {
		Timer.builder("outrigger.scatter.requests")
			.description("Client requests from arrival to answer")
			.tag("route", route)
			.tag("outcome", outcome)
			.publishPercentileHistogram()
			.register(this.registry)
			.record(nanos, TimeUnit.NANOSECONDS);
		if (outcome.equals("partial")) {
			counter("outrigger.scatter.partial.responses", route, "Answers that lack some shard").increment();
		}
	}

	void leaf(String route, String shard, String result, long nanos) {
		Timer.builder(LEAF)
			.description("Shard calls from the first attempt to their outcome")
			.tag("route", route)
			.tag("shard", shard)
			.tag("result", result)
			.register(this.registry)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	/** Removes the per-shard meters of every shard but {@code shards}. */
	void retainShards(Set<String> shards) {
		this.registry.find(LEAF)
			.meters()
			.stream()
			.filter((meter) -> !shards.contains(meter.getId().getTag("shard")))
			.toList()
			.forEach(this.registry::remove);
	}

	void hedgeSent(String route) {
		counter("outrigger.scatter.hedges.sent", route, "Backup calls sent").increment();
	}

	void hedgeWon(String route) {
		counter("outrigger.scatter.hedges.won", route, "Backup calls that answered first").increment();
	}

	void budgetExhausted(String route) {
		counter("outrigger.scatter.hedge.budget.exhausted", route, "Backups not sent for want of budget").increment();
	}

	private Counter counter(String name, String route, String description) {
		return Counter.builder(name).description(description).tag("route", route).register(this.registry);
	}

}
