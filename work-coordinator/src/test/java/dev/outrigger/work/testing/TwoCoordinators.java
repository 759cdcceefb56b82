package dev.outrigger.work.testing;

import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A broker and two coordinator replicas on it: what one replica accepts, the other must answer for.
 */
public final class TwoCoordinators implements AutoCloseable {

	private final EmbeddedKafkaKraftBroker broker;

	private final ConfigurableApplicationContext first;

	private final ConfigurableApplicationContext second;

	private TwoCoordinators(EmbeddedKafkaKraftBroker broker) {
		this.broker = broker;
		this.first = WorkApps.coordinator(broker.getBrokersAsString(), Map.of());
		this.second = WorkApps.coordinator(broker.getBrokersAsString(), Map.of());
	}

	public static TwoCoordinators start() {
		return new TwoCoordinators(TestBrokers.start());
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

	@Override
	public void close() {
		this.second.close();
		this.first.close();
		this.broker.destroy();
	}

}
