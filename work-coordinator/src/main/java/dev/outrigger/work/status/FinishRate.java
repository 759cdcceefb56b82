package dev.outrigger.work.status;

import java.time.Instant;

/**
 * Items of one queue finished per second over the last minute, counted as statuses reach
 * a final state. Kept in memory only: after a restart it counts again from zero.
 */
final class FinishRate {

	private static final int WINDOW_SECONDS = 60;

	private final long[] finishedPerSecond = new long[WINDOW_SECONDS];

	private final long[] bucketSecond = new long[WINDOW_SECONDS];

	synchronized void finished(Instant at) {
		long second = at.getEpochSecond();
		int slot = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
		if (this.bucketSecond[slot] != second) {
			this.bucketSecond[slot] = second;
			this.finishedPerSecond[slot] = 0;
		}
		this.finishedPerSecond[slot]++;
	}

	/** Items finished per second over the last minute, up to {@code now}. */
	synchronized double perSecond(Instant now) {
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
