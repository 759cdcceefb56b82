package dev.outrigger.work.coordinator;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.outrigger.testsupport.net.LoopbackHttp;
import dev.outrigger.testsupport.process.JavaProcess;
import dev.outrigger.work.testing.TestBrokers;
import dev.outrigger.work.testing.TopicRecords;
import dev.outrigger.work.testing.WorkApps;
import dev.outrigger.work.testing.WorkProcesses;
import dev.outrigger.work.topic.QueueTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A coordinator killed (SIGKILL) during a stream of submissions, as a process of its own:
 * every item it answered 202 for is on its queue's topic and known to the other replicas,
 * and no item is there twice; started again on the status store the kill left behind
 * (written without a write-ahead log), it answers for every one of them.
 */
@Timeout(300)
class CoordinatorCrashTests {

	private static final int CLIENTS = 4;

	private static final int ACCEPTED_BEFORE_THE_KILL = 300;

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void everyItemAnswered202IsQueuedOnceWhenTheCoordinatorIsKilledMidStream() throws Exception {
		String queue = "coordinator-crash";
		EmbeddedKafkaKraftBroker kafka = TestBrokers.start();
		try (JavaProcess killed = WorkProcesses.start("coordinator", kafka.getBrokersAsString(),
				Map.of("outrigger.work.queues", queue))) {
			LoopbackHttp api = new LoopbackHttp(killed.port());
			Set<String> accepted = ConcurrentHashMap.newKeySet();
			AtomicInteger payloads = new AtomicInteger();
			ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
			try {
				List<Future<?>> streams = IntStream.range(0, CLIENTS)
					.mapToObj((client) -> clients.submit(() -> submitUntilRefused(api, queue, payloads, accepted)))
					.collect(Collectors.toList());
				await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= ACCEPTED_BEFORE_THE_KILL);
				killed.kill();
				for (Future<?> stream : streams) {
					stream.get();
				}
			}
			finally {
				clients.shutdownNow();
			}

			try (ConfigurableApplicationContext replica = WorkApps.coordinator(kafka.getBrokersAsString(), Map.of())) {
				List<ConsumerRecord<String, byte[]>> onTopic = TopicRecords.readAll(kafka.getBrokersAsString(),
						replica.getBean(QueueTopics.class).items(queue));
				Map<String, Long> copies = onTopic.stream()
					.collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
				assertThat(copies).containsKeys(accepted.toArray(String[]::new))
					.allSatisfy((id, count) -> assertThat(count).as(id).isOne());
				LoopbackHttp other = WorkApps.http(replica);
				for (String id : accepted) {
					assertThat(other.get("/items/" + id).statusCode()).as(id).isEqualTo(200);
				}
			}
			killed.restart();
			for (String id : accepted) {
				assertThat(api.get("/items/" + id).statusCode()).as(id).isEqualTo(200);
			}
		}
		finally {
			kafka.destroy();
		}
	}

	/**
	 * Posts single items until the coordinator stops answering, keeping every 202's id.
	 */
	private static void submitUntilRefused(LoopbackHttp api, String queue, AtomicInteger payloads,
			Set<String> accepted) {
		while (true) {
			HttpRequest.Builder request = HttpRequest.newBuilder(api.uri("/queues/" + queue + "/items"))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"payload\":" + payloads.incrementAndGet() + "}"));
			HttpResponse<String> answer;
			try {
				answer = api.send(request);
			}
			catch (IOException ex) {
				return;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			if (answer.statusCode() == 202) {
				accepted.add(json.readTree(answer.body()).get("id").asString());
			}
		}
	}

}
