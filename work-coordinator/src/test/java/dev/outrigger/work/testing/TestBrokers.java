package dev.outrigger.work.testing;

import java.util.HashMap;
import java.util.Map;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * An embedded KRaft broker set up for work-queue tests: share groups on with short record locks
 * (2 s, so lock expiry and RENEW are testable in seconds) and fast group joins. Tests that lose a
 * broker use {@link ThreeBrokers}.
 */
public final class TestBrokers {

	/** The record lock the test brokers give share groups. */
	public static final int SHARE_LOCK_MILLIS = 2000;

	private TestBrokers() {
	}

	public static EmbeddedKafkaKraftBroker start() {
		return start(Map.of());
	}

	public static EmbeddedKafkaKraftBroker start(Map<String, String> overrides) {
		Map<String, String> properties = new HashMap<>();
		properties.put("group.initial.rebalance.delay.ms", "0");
		properties.put("group.min.session.timeout.ms", "500");
		properties.put("offsets.topic.replication.factor", "1");
		properties.put("offsets.topic.num.partitions", "3");
		properties.put("transaction.state.log.replication.factor", "1");
		properties.put("transaction.state.log.min.isr", "1");
		properties.put("share.coordinator.state.topic.replication.factor", "1");
		properties.put("share.coordinator.state.topic.min.isr", "1");
		properties.put("share.coordinator.state.topic.num.partitions", "3");
		properties.put("group.share.min.record.lock.duration.ms", "1000");
		properties.put("group.share.record.lock.duration.ms", Integer.toString(SHARE_LOCK_MILLIS));
		properties.putAll(overrides);
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
		broker.brokerProperties(properties);
		broker.afterPropertiesSet();
		return broker;
	}

}
