package dev.outrigger.scatter;

import java.time.Duration;
import java.util.Locale;

import org.springframework.boot.convert.DurationStyle;

/**
 * When a shard's call gets a backup: after a fixed delay, or after the shard's own
 * observed p95 (Tail at Scale: hedging after the p95 costs about 5 % more requests), or
 * never. One backup per shard call, as Finagle's BackupRequestFilter; a budget caps them.
 *
 * @param mode off, fixed or p95
 * @param delay the fixed delay; with p95, the delay used until a shard has enough samples
 * @param budget backups allowed per primary call, such as 0.05 for 5 %
 * @param nonIdempotent whether other methods than GET, HEAD and OPTIONS may be hedged too
 */
public record Hedging(Mode mode, Duration delay, double budget, boolean nonIdempotent) {

	/** The delay until a shard has latency samples of its own, for {@code p95}. */
	public static final Duration P95_STARTING_DELAY = Duration.ofMillis(50);

	/**
	 * Reads {@code off}, {@code p95} or a duration such as {@code 20ms}.
	 * @throws IllegalArgumentException naming what is allowed
	 */
	public static Hedging parse(String delay, double budgetPercent, boolean nonIdempotent) {
		if (!(budgetPercent >= 0 && budgetPercent <= 100)) {
			throw new IllegalArgumentException("expected a budget from 0 to 100 (percent of primary calls)");
		}
		String text = delay.strip().toLowerCase(Locale.ROOT);
		double budget = budgetPercent / 100;
		return switch (text) {
			case "off", "none", "false" -> new Hedging(Mode.OFF, Duration.ZERO, 0, false);
			case "p95" -> new Hedging(Mode.P95, P95_STARTING_DELAY, budget, nonIdempotent);
			default -> {
				Duration fixed = DurationStyle.detectAndParse(text);
				if (fixed.isNegative() || fixed.isZero()) {
					throw new IllegalArgumentException("expected off, p95 or a positive duration such as 20ms");
				}
				yield new Hedging(Mode.FIXED, fixed, budget, nonIdempotent);
			}
		};
	}

	/**
	 * Whether a request with this method may be hedged: by default only the safe ones
	 * (GET, HEAD, OPTIONS), whose copies cannot change anything even when both run.
	 */
	public boolean allows(String method) {
		return this.mode != Mode.OFF && this.budget > 0 && (this.nonIdempotent || safe(method));
	}

	private static boolean safe(String method) {
		return switch (method) {
			case "GET", "HEAD", "OPTIONS" -> true;
			default -> false;
		};
	}

	/** The choices. */
	public enum Mode {

		OFF, FIXED, P95

	}

}
