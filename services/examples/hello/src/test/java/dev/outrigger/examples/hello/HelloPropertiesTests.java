package dev.outrigger.examples.hello;

import java.time.Duration;

import dev.outrigger.kit.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HelloPropertiesTests {

	@Test
	void aBlankOrOverlongGreetingNamesItsVariable() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new HelloProperties(" ", Duration.ofSeconds(30)))
			.withMessageStartingWith("OUTRIGGER_HELLO_GREETING=\" \" is not allowed");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new HelloProperties("x".repeat(101), Duration.ofSeconds(30)))
			.withMessageContaining("at most 100 characters");
	}

}
