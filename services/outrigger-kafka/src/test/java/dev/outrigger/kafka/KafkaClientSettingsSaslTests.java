package dev.outrigger.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.outrigger.testsupport.kafka.SaslPlainBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The shared settings against a real broker whose listener wants SASL/PLAIN: the
 * operator's passthrough is what carries the credentials.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KafkaClientSettingsSaslTests {

	private static SaslPlainBroker broker;

	@BeforeAll
	static void startBroker() {
		broker = SaslPlainBroker.start("app", "app-secret", Map.of());
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@Test
	void rightCredentialsListTopics() throws Exception {
		KafkaClientSettings settings = new KafkaClientSettings(broker.bootstrapServers(), "test",
				SaslPlainBroker.clientProperties("app", "app-secret"));
		try (Admin admin = Admin.create(settings.admin("admin"))) {
			assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).isNotNull();
		}
	}

	@Test
	void wrongCredentialsFailWithTheReasonWithinTheClientTimeout() {
		KafkaClientSettings settings = new KafkaClientSettings(broker.bootstrapServers(), "test",
				SaslPlainBroker.clientProperties("app", "wrong"));
		long started = System.nanoTime();
		try (Admin admin = Admin.create(settings.admin("admin"))) {
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> admin.listTopics().names().get(20, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(SaslAuthenticationException.class)
				.withMessageContaining("Authentication failed");
		}
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void withoutThePassthroughTheBrokerIsNotReached() {
		KafkaClientSettings settings = new KafkaClientSettings(broker.bootstrapServers(), "test");
		try (Admin admin = Admin
			.create(settings.admin("admin", Map.of("default.api.timeout.ms", 2000, "request.timeout.ms", 1000)))) {
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> admin.listTopics().names().get(20, TimeUnit.SECONDS));
		}
	}

}
