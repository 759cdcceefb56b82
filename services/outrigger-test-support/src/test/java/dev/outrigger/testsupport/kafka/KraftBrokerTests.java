package dev.outrigger.testsupport.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(120)
class KraftBrokerTests {

	@Test
	void defaultBrokerSetsOnlyWhatItsSizeNeeds() {
		assertThat(KraftBroker.nodes(1).properties()).containsOnly(Map.entry("offsets.topic.replication.factor", "1"),
				Map.entry("transaction.state.log.replication.factor", "1"),
				Map.entry("transaction.state.log.min.isr", "1"));
	}

	@Test
	void threeNodesReplicateThreeTimesWithTwoInSync() {
		assertThat(KraftBroker.nodes(3).shareGroups().properties()).contains(
				Map.entry("offsets.topic.replication.factor", "3"), Map.entry("transaction.state.log.min.isr", "2"),
				Map.entry("share.coordinator.state.topic.replication.factor", "3"),
				Map.entry("share.coordinator.state.topic.min.isr", "2"), Map.entry("default.replication.factor", "3"),
				Map.entry("min.insync.replicas", "2"));
	}

	@Test
	void laterPropertyWins() {
		assertThat(KraftBroker.nodes(1).fastGroups().property("group.min.session.timeout.ms", 1000).properties())
			.containsEntry("group.min.session.timeout.ms", "1000")
			.containsEntry("group.initial.rebalance.delay.ms", "0");
	}

	@Test
	void onlyOneOrThreeNodes() {
		assertThatIllegalArgumentException().isThrownBy(() -> KraftBroker.nodes(2)).withMessageContaining("1 or 3");
	}

	@Test
	void threeNodesStartAndReplicateTopics() throws Exception {
		EmbeddedKafkaKraftBroker broker = KraftBroker.nodes(3).fastGroups().start();
		try {
			broker.addTopics(new NewTopic("replicated", 1, (short) 3));
			int replicas = broker.doWithAdminFunction((admin) -> {
				try {
					return admin.describeTopics(List.of("replicated"))
						.allTopicNames()
						.get(30, TimeUnit.SECONDS)
						.get("replicated")
						.partitions()
						.get(0)
						.replicas()
						.size();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			assertThat(replicas).isEqualTo(3);
			assertThat(broker.getBrokersAsString().split(",")).hasSize(3);
			assertThat(broker.getCluster().brokers()).containsOnlyKeys(0, 1, 2);
		}
		finally {
			broker.destroy();
		}
	}

}
