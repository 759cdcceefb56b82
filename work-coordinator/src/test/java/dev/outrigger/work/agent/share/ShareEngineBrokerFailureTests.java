package dev.outrigger.work.agent.share;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.outrigger.testsupport.kafka.KraftBroker;
import dev.outrigger.work.coordinator.Submission;
import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.status.StatusUnavailableException;
import dev.outrigger.work.testing.ScriptedWorker.Answer;
import dev.outrigger.work.testing.ScriptedWorker;
import dev.outrigger.work.testing.TestBrokers;
import dev.outrigger.work.testing.TopicRecords;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ShareEngine} against three embedded KRaft brokers, losing the leader of the
 * items topic while items are being submitted and run. Topics are replicated three times
 * with two in sync required, so every write the coordinator acknowledged survives the
 * loss.
 */
@Timeout(300)
class ShareEngineBrokerFailureTests {

	private static final int BATCHES = 20;

	private static final int BATCH_SIZE = 50;

	private static final Duration WORKER_TIME = Duration.ofMillis(20);

	private static EmbeddedKafkaKraftBroker brokers;

	@BeforeAll
	static void startBrokers() throws Exception {
		brokers = TestBrokers.workQueue(3).start();
	}

	@AfterAll
	static void stopBrokers() throws Exception {
		brokers.destroy();
	}

	@Test
	void everyAcceptedItemSucceedsExactlyOnceWhenThePartitionLeaderIsLost() throws Exception {
		String queue = "failover-" + UUID.randomUUID().toString().substring(0, 8);
		try (ScriptedWorker worker = new ScriptedWorker();
				ShareAgent agent = ShareAgent.start(brokers.getBrokersAsString(), queue, worker,
						Map.of("outrigger.work.topics.replication-factor", "3", "outrigger.work.topics.partitions", "1",
								"outrigger.work.concurrency", "16"))) {
			// a worker slow enough that items are in flight when the leader goes
			worker.script((call) -> {
				sleep(WORKER_TIME);
				return Answer.ok("{}");
			});
			String topic = agent.topics().items(queue);
			int leader = KraftBroker.leaderOf(brokers, topic);
			List<String> accepted = new ArrayList<>();
			Thread leaderLost = null;
			for (int batch = 0; batch < BATCHES; batch++) {
				if (batch == BATCHES / 4) {
					leaderLost = Thread.ofPlatform().start(() -> KraftBroker.shutDown(brokers, leader));
				}
				if (batch == BATCHES / 2) {
					// the second half goes to the new leader only
					leaderLost.join();
					assertThat(KraftBroker.leaderOf(brokers, topic)).isNotEqualTo(leader);
				}
				accepted.addAll(submit(agent, queue, batch));
			}

			assertThat(accepted).hasSize(BATCHES * BATCH_SIZE).doesNotHaveDuplicates();
			await().atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> accepted.stream().allMatch((id) -> agent.reached(id, ItemState.SUCCEEDED)));
			Map<String, Long> succeeded = succeededRecordsById(agent);
			assertThat(accepted)
				.allSatisfy((id) -> assertThat(succeeded.get(id)).as("SUCCEEDED records of " + id).isEqualTo(1));
		}
	}

	/**
	 * One batch, submitted again under the same idempotency key until the coordinator
	 * takes it.
	 */
	private static List<String> submit(ShareAgent agent, String queue, int batch) throws InterruptedException {
		List<Submission> items = IntStream.range(0, BATCH_SIZE)
			.mapToObj((i) -> Submission.of(agent.json().mapper().readTree("{\"batch\":" + batch + ",\"n\":" + i + "}")))
			.toList();
		for (int attempt = 1;; attempt++) {
			try {
				return agent.submit(queue, items, queue + "-batch-" + batch);
			}
			catch (StatusUnavailableException ex) {
				if (attempt == 10) {
					throw ex;
				}
				Thread.sleep(1000);
			}
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Map<String, Long> succeededRecordsById(ShareAgent agent) {
		return TopicRecords.readAll(brokers.getBrokersAsString(), agent.topics().status())
			.stream()
			.filter((record) -> record.value() != null)
			.map((record) -> agent.json().readStatus(record.value()))
			.filter((status) -> status.state() == ItemState.SUCCEEDED)
			.collect(Collectors.groupingBy((status) -> status.id(), Collectors.counting()));
	}

}
