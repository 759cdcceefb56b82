package dev.outrigger.work.agent.classic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.outrigger.testsupport.kafka.KraftBroker;
import dev.outrigger.work.coordinator.Accepted;
import dev.outrigger.work.coordinator.Submission;
import dev.outrigger.work.coordinator.Submissions;
import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.status.StatusUnavailableException;
import dev.outrigger.work.status.StatusView;
import dev.outrigger.work.testing.ScriptedWorker;
import dev.outrigger.work.testing.WorkBroker;
import dev.outrigger.work.testing.TopicRecords;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The classic engine while Kafka loses a broker: three brokers, every topic replicated
 * three times with two in-sync replicas required, and the leader of a queue partition
 * shut down while items are being submitted and run.
 */
@Timeout(300)
class ClassicEngineBrokerFailureTests {

	private static final int ITEMS = 1000;

	private static final int BATCH = 50;

	@RegisterExtension
	static final WorkBroker kafka = new WorkBroker(3);

	@Test
	void everyAcceptedItemSucceedsExactlyOnceWhileAPartitionLeaderIsShutDown() throws Exception {
		String queue = "broker-loss-" + UUID.randomUUID().toString().substring(0, 8);
		try (ScriptedWorker worker = new ScriptedWorker();
				ClassicAgents agents = new ClassicAgents(kafka.bootstrapServers())) {
			ConfigurableApplicationContext agent = agents.start(queue, "group-" + queue, worker,
					Map.of("outrigger.work.topics.replication-factor", "3"));
			Submissions submissions = ClassicAgents.submissions(agent);
			String itemsTopic = ClassicAgents.topics(agent).items(queue);
			List<String> accepted = new ArrayList<>();
			Thread leaderShutdown = null;
			for (int batch = 0; accepted.size() < ITEMS; batch++) {
				if (leaderShutdown == null && accepted.size() >= ITEMS * 3 / 10) {
					int leader = leaderOf(agent.getBean(Admin.class), itemsTopic, 0);
					// in the background: items keep being submitted and run while the
					// broker goes
					leaderShutdown = Thread.ofPlatform().start(() -> KraftBroker.shutDown(kafka.broker(), leader));
				}
				accepted.addAll(submitBatch(submissions, queue, batch));
			}
			leaderShutdown.join(TimeUnit.MINUTES.toMillis(2));

			StatusView statuses = ClassicAgents.statuses(agent);
			await().atMost(Duration.ofMinutes(2))
				.until(() -> accepted.stream()
					.allMatch((id) -> statuses.get(id)
						.filter((status) -> status.state() == ItemState.SUCCEEDED)
						.isPresent()));
			Map<String, Long> succeeded = TopicRecords.succeededSnapshots(kafka.bootstrapServers(),
					ClassicAgents.topics(agent).status());
			assertThat(accepted).hasSize(ITEMS).doesNotHaveDuplicates();
			assertThat(succeeded).containsKeys(accepted.toArray(String[]::new));
			assertThat(succeeded).allSatisfy((id, snapshots) -> assertThat(snapshots).as(id).isOne());
		}
	}

	/**
	 * Submits a batch of items, again as a client would while Kafka is failing over; only
	 * the ids of an answered submission count as accepted.
	 */
	private static List<String> submitBatch(Submissions submissions, String queue, int batch) throws Exception {
		ItemJson json = new ItemJson();
		List<Submission> items = new ArrayList<>();
		for (int i = 0; i < BATCH; i++) {
			items.add(Submission.of(json.mapper().createObjectNode().put("batch", batch).put("item", i)));
		}
		for (int attempt = 1;; attempt++) {
			try {
				return submissions.submit(queue, items, null).stream().map(Accepted::id).toList();
			}
			catch (StatusUnavailableException ex) {
				if (attempt == 5) {
					throw ex;
				}
				Thread.sleep(500);
			}
		}
	}

	private static int leaderOf(Admin admin, String topic, int partition) throws Exception {
		TopicDescription description = admin.describeTopics(List.of(topic))
			.allTopicNames()
			.get(30, TimeUnit.SECONDS)
			.get(topic);
		return description.partitions().get(partition).leader().id();
	}

}
