package dev.outrigger.examples.leaf;

import java.time.Duration;

import dev.outrigger.kit.config.InvalidSettingException;
import dev.outrigger.kit.config.Settings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The leaf's part of the index and the troubles it plays, from {@code OUTRIGGER_LEAF_*}.
 *
 * @param name {@code OUTRIGGER_LEAF_NAME}: the shard's name, in every id it returns
 * @param documents {@code OUTRIGGER_LEAF_DOCUMENTS}: how many documents it holds
 * @param latency {@code OUTRIGGER_LEAF_LATENCY}: how long every answer takes
 * @param slowPercent {@code OUTRIGGER_LEAF_SLOW_PERCENT}: the share of answers that take
 * {@code slowLatency} instead
 * @param slowLatency {@code OUTRIGGER_LEAF_SLOW_LATENCY}
 * @param failPercent {@code OUTRIGGER_LEAF_FAIL_PERCENT}: the share of answers that are a
 * 503
 */
@ConfigurationProperties("outrigger.leaf")
public record LeafProperties(@DefaultValue("leaf") String name, @DefaultValue("100") int documents,
		@DefaultValue("0ms") Duration latency, @DefaultValue("0") double slowPercent,
		@DefaultValue("1s") Duration slowLatency, @DefaultValue("0") double failPercent) {

	public LeafProperties {
		Settings.requireText("OUTRIGGER_LEAF_NAME", name, 64);
		Settings.requireBetween("OUTRIGGER_LEAF_DOCUMENTS", documents, 0, 1_000_000);
		Settings.requireBetween("OUTRIGGER_LEAF_LATENCY", latency, Duration.ZERO, Duration.ofMinutes(5));
		Settings.requireBetween("OUTRIGGER_LEAF_SLOW_LATENCY", slowLatency, Duration.ZERO, Duration.ofMinutes(5));
		requirePercent("OUTRIGGER_LEAF_SLOW_PERCENT", slowPercent);
		requirePercent("OUTRIGGER_LEAF_FAIL_PERCENT", failPercent);
	}

	private static void requirePercent(String variable, double value) {
		if (!(value >= 0 && value <= 100)) {
			throw new InvalidSettingException(variable, Double.toString(value), "expected a percentage from 0 to 100");
		}
	}

}
