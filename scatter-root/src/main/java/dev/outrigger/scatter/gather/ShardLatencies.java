package dev.outrigger.scatter.gather;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each shard's recent successful call latencies, for hedging after the shard's own p95:
 * the last {@value #WINDOW} calls, the percentile recomputed every {@value #EVERY}.
 */
final class ShardLatencies {

	static final int WINDOW = 256;

	static final int EVERY = 32;

	/** Fewer samples than this: no percentile yet. */
	static final int MIN_SAMPLES = 32;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	void record(String shard, long nanos) {
		this.windows.computeIfAbsent(shard, (key) -> new Window()).record(nanos);
	}

	/** Drops the windows of every shard but {@code shards}. */
	void retain(Set<String> shards) {
		this.windows.keySet().retainAll(shards);
	}

	/** The shard's p95, once it has enough samples. */
	Optional<Duration> p95(String shard) {
		Window window = this.windows.get(shard);
		return (window != null) ? window.p95() : Optional.empty();
	}

	private static final class Window {

		private final long[] samples = new long[WINDOW];

		private long count;

		private long p95 = -1;

		synchronized void record(long nanos) {
			this.samples[(int) (this.count % WINDOW)] = nanos;
			this.count++;
			if (this.count >= MIN_SAMPLES && this.count % EVERY == 0) {
				long[] sorted = Arrays.copyOf(this.samples, (int) Math.min(this.count, WINDOW));
				Arrays.sort(sorted);
				this.p95 = sorted[(int) Math.ceil(sorted.length * 0.95) - 1];
			}
		}

		synchronized Optional<Duration> p95() {
			return (this.p95 < 0) ? Optional.empty() : Optional.of(Duration.ofNanos(this.p95));
		}

	}

}
