package dev.outrigger.kit;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * An exponential back-off: the wait after failed attempt {@code n} is
 * {@code initial × multiplier^(n-1)}, at most {@code max}. With jitter {@code j}, each
 * wait is shortened by a random part of up to {@code j} of itself, so callers that failed
 * together do not retry together, and no wait ever exceeds {@code max}.
 *
 * @param initial the wait after the first failed attempt
 * @param max the longest wait
 * @param multiplier how much each wait grows, at least 1
 * @param jitter from 0 (none) to less than 1
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

	public Backoff {
		if (initial.isNegative() || initial.isZero()) {
			throw new IllegalArgumentException("initial must be more than 0, was " + initial);
		}
		if (max.isNegative() || max.isZero()) {
			throw new IllegalArgumentException("max must be more than 0, was " + max);
		}
		if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
			throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
		}
		if (!(jitter >= 0.0 && jitter < 1.0)) {
			throw new IllegalArgumentException("jitter must be from 0 to less than 1, was " + jitter);
		}
	}

	/** A back-off without jitter. */
	public Backoff(Duration initial, Duration max, double multiplier) {
		this(initial, max, multiplier, 0.0);
	}

	/** Doubling waits from {@code initial} to {@code max}, without jitter. */
	public static Backoff doubling(Duration initial, Duration max) {
		return new Backoff(initial, max, 2.0);
	}

	/** This back-off with {@code jitter}. */
	public Backoff withJitter(double jitter) {
		return new Backoff(this.initial, this.max, this.multiplier, jitter);
	}

	/**
	 * The wait after failed attempt {@code attempt} (counted from 1; less counts as 1).
	 */
	public Duration delay(int attempt) {
		return delay(attempt, ThreadLocalRandom.current());
	}

	/** As {@link #delay(int)}, drawing the jitter from {@code random}. */
	public Duration delay(int attempt, RandomGenerator random) {
		double millis = this.initial.toMillis() * Math.pow(this.multiplier, Math.max(0, attempt - 1));
		long capped = (millis >= this.max.toMillis()) ? this.max.toMillis() : (long) millis;
		if (this.jitter > 0.0) {
			capped -= (long) (capped * this.jitter * random.nextDouble());
		}
		return Duration.ofMillis(capped);
	}

}
