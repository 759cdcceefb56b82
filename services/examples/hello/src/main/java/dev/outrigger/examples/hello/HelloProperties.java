package dev.outrigger.examples.hello;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param greeting {@code OUTRIGGER_HELLO_GREETING}: the word before the name
 * @param maxDelay {@code OUTRIGGER_HELLO_MAX_DELAY}: the longest {@code delay} a caller
 * may ask for (slow greetings let you watch a drain wait for work in flight)
 */
@Validated
@ConfigurationProperties("outrigger.hello")
public record HelloProperties(@DefaultValue("Hello") @NotBlank @Size(max = 100) String greeting,
		@DefaultValue("30s") Duration maxDelay) {
}
