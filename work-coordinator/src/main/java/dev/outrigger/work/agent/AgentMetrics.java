package dev.outrigger.work.agent;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.outrigger.work.item.ItemState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The agent's meters: {@code outrigger_work_worker_calls_seconds{queue,outcome}} and
 * {@code outrigger_work_items_total{queue,outcome}} (succeeded, dead, retried, skipped).
 */
public final class AgentMetrics {

	private final MeterRegistry registry;

	private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

	private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

	public AgentMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void called(String queue, WorkerOutcome outcome, long nanos) {
		String kind = switch (outcome) {
			case WorkerOutcome.Succeeded succeeded -> "success";
			case WorkerOutcome.Retryable retryable -> "retryable";
			case WorkerOutcome.Fatal fatal -> "fatal";
		};
		this.timers
			.computeIfAbsent(new Key(queue, kind),
					(key) -> Timer.builder("outrigger.work.worker.calls")
						.description("Calls to the worker, by outcome")
						.tag("queue", queue)
						.tag("outcome", kind)
						.register(this.registry))
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	void finished(String queue, ItemState state) {
		items(queue, state.name().toLowerCase(Locale.ROOT)).increment();
	}

	void retried(String queue) {
		items(queue, "retried").increment();
	}

	void skipped(String queue) {
		items(queue, "skipped").increment();
	}

	private Counter items(String queue, String outcome) {
		return this.counters.computeIfAbsent(new Key(queue, outcome),
				(key) -> Counter.builder("outrigger.work.items")
					.description("Item deliveries an agent settled, by outcome")
					.tag("queue", queue)
					.tag("outcome", outcome)
					.register(this.registry));
	}

	/**
	 * A meter's tags; meters are looked up once per item, so they are kept rather than
	 * built each time.
	 */
	private record Key(String queue, String outcome) {

	}

}
