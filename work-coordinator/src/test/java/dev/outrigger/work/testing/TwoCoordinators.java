package dev.outrigger.work.testing;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A broker and two coordinator replicas on it, for a whole test class (register it as a
 * static {@code @RegisterExtension} field): what one replica accepts, the other must
 * answer for.
 */
public final class TwoCoordinators implements BeforeAllCallback, AfterAllCallback {

	private @Nullable EmbeddedKafkaKraftBroker broker;

	private @Nullable ConfigurableApplicationContext first;

	private @Nullable ConfigurableApplicationContext second;

	@Override
	public void beforeAll(ExtensionContext context) {
		this.broker = TestBrokers.start();
		this.first = WorkApps.coordinator(this.broker.getBrokersAsString(), Map.of());
		this.second = WorkApps.coordinator(this.broker.getBrokersAsString(), Map.of());
	}

	@Override
	public void afterAll(ExtensionContext context) {
		this.second.close();
		this.first.close();
		this.broker.destroy();
	}

	public EmbeddedKafkaKraftBroker broker() {
		return this.broker;
	}

	public ConfigurableApplicationContext first() {
		return this.first;
	}

	public ConfigurableApplicationContext second() {
		return this.second;
	}

}
