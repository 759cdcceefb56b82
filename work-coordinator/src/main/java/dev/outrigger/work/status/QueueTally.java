package dev.outrigger.work.status;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.outrigger.work.item.ItemState;

/**
 * One queue's numbers, kept as statuses change: items per state, the dead items, and
 * items finished per second over the last minute. Guarded by the view's lock.
 */
final class QueueTally {

	private static final int WINDOW_SECONDS = 60;

	private final Map<ItemState, Long> counts = new EnumMap<>(ItemState.class);

	private final Set<String> dead = ConcurrentHashMap.newKeySet();

	private final long[] finishedPerSecond = new long[WINDOW_SECONDS];

	private final long[] bucketSecond = new long[WINDOW_SECONDS];

	void moved(String id, ItemState from, ItemState to, Instant at) {
		if (from != null) {
			this.counts.merge(from, -1L, Long::sum);
			if (from == ItemState.DEAD) {
				this.dead.remove(id);
			}
		}
		if (to != null) {
			this.counts.merge(to, 1L, Long::sum);
			if (to == ItemState.DEAD) {
				this.dead.add(id);
			}
			if (to.finished() && from != to) {
				countFinished(at);
			}
		}
	}

	private void countFinished(Instant at) {
		long second = at.getEpochSecond();
		int slot = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
		if (this.bucketSecond[slot] != second) {
			this.bucketSecond[slot] = second;
			this.finishedPerSecond[slot] = 0;
		}
		this.finishedPerSecond[slot]++;
	}

	long count(ItemState state) {
		return this.counts.getOrDefault(state, 0L);
	}

	Set<String> deadIds() {
		return Set.copyOf(this.dead);
	}

	/** Items finished per second over the last minute, up to {@code now}. */
	double finishedRate(Instant now) {
		long nowSecond = now.getEpochSecond();
		long total = 0;
		for (int slot = 0; slot < WINDOW_SECONDS; slot++) {
			long age = nowSecond - this.bucketSecond[slot];
			if (age >= 0 && age < WINDOW_SECONDS) {
				total += this.finishedPerSecond[slot];
			}
		}
		return total / (double) WINDOW_SECONDS;
	}

}
