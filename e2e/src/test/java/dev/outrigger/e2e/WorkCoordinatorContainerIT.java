package dev.outrigger.e2e;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.outrigger.testsupport.kafka.KraftBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The work-queue pattern in containers: a coordinator, an agent and the example worker
 * beside it (host networking), against a real KRaft broker on loopback. 1,000 items
 * submitted through the coordinator all succeed, each with the worker's result.
 */
@Timeout(600)
class WorkCoordinatorContainerIT {

	private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

	private static final Pattern SUCCEEDED = Pattern.compile("\"SUCCEEDED\":(\\d+)");

	private static EmbeddedKafkaKraftBroker kafka;

	@BeforeAll
	static void startKafka() {
		kafka = KraftBroker.nodes(1).shareGroups().fastGroups().start();
	}

	@AfterAll
	static void stopKafka() {
		kafka.destroy();
	}

	@Test
	void thousandItemsThroughCoordinatorAgentAndWorkerAllSucceed() throws Exception {
		try (OutriggerContainer worker = new OutriggerContainer("example-worker");
				OutriggerContainer coordinator = work("coordinator");
				OutriggerContainer agent = work("agent")) {
			worker.start();
			coordinator.start();
			agent.withEnv("OUTRIGGER_WORK_QUEUES", "e2e")
				.withEnv("OUTRIGGER_WORK_WORKER_URL", "http://127.0.0.1:" + worker.httpPort() + "/work")
				.withEnv("OUTRIGGER_WORK_CONCURRENCY", "16")
				.start();

			String lastId = null;
			for (int batch = 0; batch < 10; batch++) {
				StringBuilder items = new StringBuilder("[");
				for (int i = 0; i < 100; i++) {
					items.append((i > 0) ? "," : "")
						.append("{\"payload\":{\"text\":\"item ")
						.append(batch * 100 + i)
						.append(" of the e2e run\"}}");
				}
				HttpResponse<String> accepted = coordinator.http()
					.send(HttpRequest.newBuilder(coordinator.http().uri("/queues/e2e/items"))
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(items.append("]").toString())));
				assertThat(accepted.statusCode()).isEqualTo(202);
				Matcher ids = ID.matcher(accepted.body());
				while (ids.find()) {
					lastId = ids.group(1);
				}
			}

			await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
				Matcher succeeded = SUCCEEDED.matcher(coordinator.http().get("/queues/e2e").body());
				assertThat(succeeded.find()).isTrue();
				assertThat(Long.parseLong(succeeded.group(1))).isEqualTo(1000);
			});
			HttpResponse<String> result = coordinator.http().get("/items/" + lastId + "/result");
			assertThat(result.statusCode()).isEqualTo(200);
			assertThat(result.body()).contains("\"item\":\"" + lastId + "\"", "\"words\":6");
			assertThat(coordinator.http().get("/queues/e2e").body()).contains("\"depth\":0", "\"inFlight\":0");
		}
	}

	private static OutriggerContainer work(String mode) {
		return new OutriggerContainer("work-coordinator").withEnv("OUTRIGGER_WORK_MODE", mode)
			.withEnv("OUTRIGGER_WORK_KAFKA_BOOTSTRAP_SERVERS", kafka.getBrokersAsString())
			.withEnv("OUTRIGGER_WORK_TOPICS_PARTITIONS", "8");
	}

}
