package dev.outrigger.work.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * Three embedded KRaft brokers with a controller of their own, set up for share groups like
 * {@link TestBrokers}', for a test that loses a broker. {@code EmbeddedKafkaKraftBroker} cannot: it makes every broker a controller too, and on Kafka 4.2.1 that three-voter quorum loses
 * raft threads a second after it starts ("Received unexpected invalid request error" on an
 * UpdateVoter response), after which no topic can be created.
 */
public final class ThreeBrokers implements AutoCloseable {

	private final KafkaClusterTestKit cluster;

	private ThreeBrokers(KafkaClusterTestKit cluster) {
		this.cluster = cluster;
	}

	/** Internal topics replicated three times with two in sync; 2 s record locks. */
	public static ThreeBrokers start() throws Exception {
		TestKitNodes nodes = new TestKitNodes.Builder().setCombined(false)
			.setNumBrokerNodes(3)
			.setNumControllerNodes(1)
			.build();
		KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
		Map.ofEntries(Map.entry("group.initial.rebalance.delay.ms", "0"),
				Map.entry("offsets.topic.replication.factor", "3"), Map.entry("offsets.topic.num.partitions", "3"),
				Map.entry("transaction.state.log.replication.factor", "3"),
				Map.entry("transaction.state.log.min.isr", "2"),
				Map.entry("share.coordinator.state.topic.replication.factor", "3"),
				Map.entry("share.coordinator.state.topic.min.isr", "2"),
				Map.entry("share.coordinator.state.topic.num.partitions", "3"),
				Map.entry("group.share.min.record.lock.duration.ms", "1000"),
				Map.entry("group.share.record.lock.duration.ms", Integer.toString(TestBrokers.SHARE_LOCK_MILLIS)),
				Map.entry("default.replication.factor", "3"), Map.entry("min.insync.replicas", "2"))
			.forEach(builder::setConfigProp);
		KafkaClusterTestKit cluster = builder.build();
		cluster.format();
		cluster.startup();
		cluster.waitForReadyBrokers();
		return new ThreeBrokers(cluster);
	}

	public String bootstrapServers() {
		return this.cluster.bootstrapServers();
	}

	/** The broker leading partition 0 of {@code topic}. */
	public int leaderOf(String topic) throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			return admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get(30, TimeUnit.SECONDS)
				.get(topic)
				.partitions()
				.get(0)
				.leader()
				.id();
		}
	}

	/** Shuts broker {@code id} down for good: a controlled shutdown, handing its leaderships over. */
	public void shutDown(int id) {
		this.cluster.brokers().get(id).shutdown();
	}

	@Override
	public void close() throws Exception {
		this.cluster.close();
	}

}
