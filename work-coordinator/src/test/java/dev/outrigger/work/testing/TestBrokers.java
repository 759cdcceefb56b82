package dev.outrigger.work.testing;

import java.util.Map;

import dev.outrigger.testsupport.kafka.KraftBroker;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The work queue's tunings of the shared embedded broker: share groups with short record
 * locks (2 s, so lock expiry and RENEW are testable in seconds) and fast group joins.
 */
public final class TestBrokers {

	/** The record lock the test brokers give share groups. */
	public static final int SHARE_LOCK_MILLIS = 2000;

	private TestBrokers() {
	}

	/** {@code nodes} (1 or 3) brokers set up for work queues, not started yet. */
	public static KraftBroker workQueue(int nodes) {
		return KraftBroker.nodes(nodes)
			.shareGroups()
			.fastGroups()
			.property("group.share.min.record.lock.duration.ms", 1000)
			.property("group.share.record.lock.duration.ms", SHARE_LOCK_MILLIS);
	}

	public static EmbeddedKafkaKraftBroker start() {
		return workQueue(1).start();
	}

	public static EmbeddedKafkaKraftBroker start(Map<String, String> overrides) {
		KraftBroker broker = workQueue(1);
		overrides.forEach(broker::property);
		return broker.start();
	}

}
