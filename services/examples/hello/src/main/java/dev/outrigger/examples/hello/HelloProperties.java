package dev.outrigger.examples.hello;

import java.time.Duration;

import dev.outrigger.kit.config.Settings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Checked by {@link Settings} rather than Bean Validation: a validator loads some 600
 * classes, which a sidecar pays for in start-up time and memory (bench/footprint).
 *
 * @param greeting {@code OUTRIGGER_HELLO_GREETING}: the word before the name
 * @param maxDelay {@code OUTRIGGER_HELLO_MAX_DELAY}: the longest {@code delay} a caller
 * may ask for (slow greetings let you watch a drain wait for work in flight)
 */
@ConfigurationProperties("outrigger.hello")
public record HelloProperties(@DefaultValue("Hello") String greeting, @DefaultValue("30s") Duration maxDelay) {

	public HelloProperties {
		Settings.requireText("OUTRIGGER_HELLO_GREETING", greeting, 100);
	}

}
