package dev.outrigger.work.coordinator;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.outrigger.testsupport.http.RecordingReceiver;
import dev.outrigger.testsupport.http.RecordingReceiver.Reply;
import dev.outrigger.testsupport.http.RecordingReceiver.Request;
import dev.outrigger.testsupport.net.LoopbackHttp;
import dev.outrigger.work.WorkProperties;
import dev.outrigger.work.item.ItemIds;
import dev.outrigger.work.testing.TwoCoordinators;
import dev.outrigger.work.testing.WorkApps;
import dev.outrigger.work.topic.QueueTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The coordinator's HTTP API against a real KRaft broker, with two coordinator replicas:
 * what one accepts the other answers for.
 */
@Timeout(120)
class CoordinatorApiTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final AtomicInteger queues = new AtomicInteger();

	@RegisterExtension
	static final TwoCoordinators coordinators = new TwoCoordinators();

	@Test
	void acceptedItemIsQueuedOnKafkaAndAnsweredByEitherReplica() throws Exception {
		String queue = newQueue();
		HttpResponse<String> accepted = post(coordinators.first(), "/queues/" + queue + "/items",
				"{\"payload\":{\"n\":1},\"maxAttempts\":3,\"timeout\":\"5s\"}", null);
		assertThat(accepted.statusCode()).isEqualTo(202);
		String id = json.readTree(accepted.body()).get("id").asString();
		assertThat(accepted.headers().firstValue("Location")).hasValue("/items/" + id);

		JsonNode fromSecond = json.readTree(WorkApps.http(coordinators.second()).get("/items/" + id).body());
		assertThat(fromSecond.get("state").asString()).isEqualTo("QUEUED");
		assertThat(fromSecond.get("maxAttempts").asInt()).isEqualTo(3);
		assertThat(fromSecond.get("queue").asString()).isEqualTo(queue);

		List<ConsumerRecord<String, byte[]>> onTopic = records(topics().items(queue), 1);
		JsonNode item = json.readTree(onTopic.getFirst().value());
		assertThat(item.get("id").asString()).isEqualTo(id);
		assertThat(item.get("payload").get("n").asInt()).isEqualTo(1);
		assertThat(item.get("timeoutMillis").asLong()).isEqualTo(5000);
	}

	@Test
	void arrayOfItemsIsAcceptedTogether() throws Exception {
		String queue = newQueue();
		HttpResponse<String> accepted = post(coordinators.first(), "/queues/" + queue + "/items",
				"[{\"payload\":1},{\"payload\":\"two\"},{\"payload\":null}]", null);
		assertThat(accepted.statusCode()).isEqualTo(202);
		JsonNode items = json.readTree(accepted.body()).get("items");
		assertThat(items).hasSize(3);
		assertThat(records(topics().items(queue), 3)).hasSize(3);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(json.readTree(WorkApps.http(coordinators.second()).get("/queues/" + queue).body())
						.get("depth")
						.asLong()).isEqualTo(3));
	}

	@Test
	void itemsWithoutAKeyAreSpreadEvenlyOverThePartitionsAndItemsWithOneKeepTogether() throws Exception {
		String queue = newQueue();
		int partitions = coordinators.first().getBean(WorkProperties.class).topics().partitions();
		StringBuilder body = new StringBuilder("[");
		for (int i = 0; i < 2 * partitions; i++) {
			body.append("{\"payload\":").append(i).append("},");
		}
		body.append("{\"payload\":\"a\",\"key\":\"k\"},{\"payload\":\"b\",\"key\":\"k\"}]");
		assertThat(post(coordinators.first(), "/queues/" + queue + "/items", body.toString(), null).statusCode())
			.isEqualTo(202);
		List<ConsumerRecord<String, byte[]>> onTopic = records(topics().items(queue), 2 * partitions + 2);
		Map<Integer, Long> keylessPerPartition = onTopic.stream()
			.filter((record) -> !record.key().equals("k"))
			.collect(Collectors.groupingBy(ConsumerRecord::partition, Collectors.counting()));
		assertThat(keylessPerPartition).hasSize(partitions)
			.allSatisfy((partition, count) -> assertThat(count).isEqualTo(2));
		assertThat(
				onTopic.stream().filter((record) -> record.key().equals("k")).map(ConsumerRecord::partition).distinct())
			.hasSize(1);
	}

	@Test
	void sameIdempotencyKeyOnBothReplicasQueuesTheWorkOnce() throws Exception {
		String queue = newQueue();
		String body = "{\"payload\":{\"order\":42}}";
		HttpResponse<String> once = post(coordinators.first(), "/queues/" + queue + "/items", body, "order-42");
		HttpResponse<String> again = post(coordinators.second(), "/queues/" + queue + "/items", body, "order-42");
		HttpResponse<String> thrice = post(coordinators.first(), "/queues/" + queue + "/items", body, "order-42");
		String id = json.readTree(once.body()).get("id").asString();
		assertThat(json.readTree(once.body()).get("duplicate").asBoolean()).isFalse();
		for (HttpResponse<String> repeat : List.of(again, thrice)) {
			assertThat(repeat.statusCode()).isEqualTo(202);
			assertThat(json.readTree(repeat.body()).get("id").asString()).isEqualTo(id);
			assertThat(json.readTree(repeat.body()).get("duplicate").asBoolean()).isTrue();
		}
		post(coordinators.first(), "/queues/" + queue + "/items", "{\"payload\":\"other\"}", "order-43");
		// the coordinators.second() key's item is on the topic, the coordinators.first()
		// key's only once
		List<ConsumerRecord<String, byte[]>> onTopic = records(topics().items(queue), 2);
		assertThat(onTopic).hasSize(2);
		assertThat(onTopic.stream().filter((record) -> record.key().equals(id))).hasSize(1);
	}

	@Test
	void cancelledItemReportsCancelledAndCallsBack() throws Exception {
		try (RecordingReceiver receiver = RecordingReceiver.start().failFirst(1, 503).respond(Reply.status(204))) {
			String queue = newQueue();
			String callback = receiver.uri("/done").toString();
			String id = json
				.readTree(post(coordinators.first(), "/queues/" + queue + "/items",
						"{\"payload\":{},\"callbackUrl\":\"" + callback + "\"}", null)
					.body())
				.get("id")
				.asString();
			HttpResponse<String> cancelled = WorkApps.http(coordinators.second())
				.send(HttpRequest.newBuilder(WorkApps.http(coordinators.second()).uri("/items/" + id)).DELETE());
			assertThat(cancelled.statusCode()).isEqualTo(200);
			assertThat(json.readTree(cancelled.body()).get("state").asString()).isEqualTo("CANCELLED");
			// the first delivery fails with a 503; the retry is the one that counts
			List<Request> deliveries = receiver.awaitRequests(2, Duration.ofSeconds(20));
			JsonNode delivered = json.readTree(deliveries.get(1).body());
			assertThat(delivered.get("id").asString()).isEqualTo(id);
			assertThat(delivered.get("state").asString()).isEqualTo("CANCELLED");

			HttpResponse<String> twice = WorkApps.http(coordinators.first())
				.send(HttpRequest.newBuilder(WorkApps.http(coordinators.first()).uri("/items/" + id)).DELETE());
			assertThat(twice.statusCode()).isEqualTo(409);
			assertThat(twice.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			HttpResponse<String> result = WorkApps.http(coordinators.first()).get("/items/" + id + "/result");
			assertThat(result.statusCode()).isEqualTo(409);
		}
	}

	@Test
	void finishedItemsAreForgottenAfterTheRetentionEvenByAReplicaThatOnlyReadThem() throws Exception {
		String bootstrap = coordinators.broker().getBrokersAsString();
		String prefix = "retention.";
		try (ConfigurableApplicationContext writer = WorkApps.coordinator(bootstrap,
				Map.of("outrigger.work.topics.prefix", prefix));
				ConfigurableApplicationContext sweeper = WorkApps.coordinator(bootstrap,
						Map.of("outrigger.work.topics.prefix", prefix, "outrigger.work.status.retention", "2s"))) {
			String queue = newQueue();
			String finished = json.readTree(post(writer, "/queues/" + queue + "/items", "{\"payload\":1}", null).body())
				.get("id")
				.asString();
			String waiting = json.readTree(post(writer, "/queues/" + queue + "/items", "{\"payload\":2}", null).body())
				.get("id")
				.asString();
			LoopbackHttp http = WorkApps.http(writer);
			assertThat(http.send(HttpRequest.newBuilder(http.uri("/items/" + finished)).DELETE()).statusCode())
				.isEqualTo(200);

			await().atMost(Duration.ofSeconds(20))
				.until(() -> WorkApps.http(sweeper).get("/items/" + finished).statusCode() == 404
						&& http.get("/items/" + finished).statusCode() == 404);
			assertThat(json.readTree(http.get("/items/" + waiting).body()).get("state").asString()).isEqualTo("QUEUED");
			JsonNode stats = json.readTree(WorkApps.http(sweeper).get("/queues/" + queue).body());
			assertThat(stats.get("outcomes").get("CANCELLED").asLong()).isZero();
			assertThat(stats.get("depth").asLong()).isEqualTo(1);
		}
	}

	@Test
	void badSubmissionsAreProblemsAndQueueNothing() throws Exception {
		String queue = newQueue();
		Map<String, String> bad = Map.of("{\"nopayload\":1}", "unknown field", "{}", "\"payload\" is required", "[]",
				"non-empty array", "{\"payload\":1,\"maxAttempts\":0}", "maxAttempts",
				"{\"payload\":1,\"timeout\":\"soon\"}", "timeout", "{\"payload\":1,\"callbackUrl\":\"ftp://x\"}",
				"callbackUrl", "[{\"payload\":1},7]", "item 1");
		for (Map.Entry<String, String> body : bad.entrySet()) {
			HttpResponse<String> refused = post(coordinators.first(), "/queues/" + queue + "/items", body.getKey(),
					null);
			assertThat(refused.statusCode()).as(body.getKey()).isEqualTo(400);
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(json.readTree(refused.body()).get("detail").asString()).as(body.getKey())
				.contains(body.getValue());
		}
		assertThat(post(coordinators.first(), "/queues/bad%20name/items", "{\"payload\":1}", null).statusCode())
			.isEqualTo(400);
		String huge = "{\"payload\":\"" + "x".repeat(1_000_000) + "\"}";
		HttpResponse<String> tooLarge = post(coordinators.first(), "/queues/" + queue + "/items", huge, null);
		assertThat(tooLarge.statusCode()).isEqualTo(413);
		assertThat(tooLarge.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(json.readTree(tooLarge.body()).get("detail").asString()).startsWith("the item is ")
			.endsWith(" (OUTRIGGER_WORK_MAX_ITEM_BYTES)");
		assertThat(WorkApps.http(coordinators.first()).get("/items/no-such-item").statusCode()).isEqualTo(404);
		assertThat(
				json.readTree(WorkApps.http(coordinators.first()).get("/queues/" + queue).body()).get("depth").asLong())
			.isZero();
	}

	@Test
	void pausedCoordinatorRefusesSubmissionsWithServiceUnavailable() throws Exception {
		LoopbackHttp admin = WorkApps.http(coordinators.first());
		assertThat(admin.post("/lifecycle/pause").statusCode()).isEqualTo(200);
		try {
			HttpResponse<String> refused = post(coordinators.first(), "/queues/" + newQueue() + "/items",
					"{\"payload\":1}", null);
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(json.readTree(refused.body()).get("detail").asString()).isEqualTo(
					"this coordinator is paused and takes no submissions; send them to another replica or retry later");
			assertThat(admin.get("/readyz").statusCode()).isEqualTo(503);
		}
		finally {
			admin.post("/lifecycle/resume");
		}
		assertThat(post(coordinators.first(), "/queues/" + newQueue() + "/items", "{\"payload\":1}", null).statusCode())
			.isEqualTo(202);
	}

	@Test
	void operatorsListEveryQueueAndAQueuesItemsNewestFirstAPageAtATime() throws Exception {
		String queue = newQueue();
		String other = newQueue();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			HttpResponse<String> accepted = post(coordinators.first(), "/queues/" + queue + "/items",
					"{\"payload\":" + i + "}", null);
			ids.add(json.readTree(accepted.body()).get("id").asString());
			// a distinct time each, so newest first has one answer
			Thread.sleep(5);
		}
		post(coordinators.first(), "/queues/" + other + "/items", "{\"payload\":1}", null);
		LoopbackHttp second = WorkApps.http(coordinators.second());
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode all = json.readTree(second.get("/queues").body());
			Map<String, Long> depths = new HashMap<>();
			all.forEach((stats) -> depths.put(stats.get("queue").asString(), stats.get("depth").asLong()));
			assertThat(depths).containsEntry(queue, 5L).containsEntry(other, 1L);
		});

		List<String> listed = new ArrayList<>();
		String next = "/queues/" + queue + "/items?state=queued&limit=2";
		int pages = 0;
		while (next != null) {
			JsonNode page = json.readTree(second.get(next).body());
			page.get("items").forEach((item) -> listed.add(item.get("id").asString()));
			next = page.get("next").isNull() ? null : page.get("next").asString();
			pages++;
		}
		assertThat(pages).isEqualTo(3);
		assertThat(listed).containsExactlyElementsOf(ids.reversed());
		assertThat(json.readTree(second.get("/queues/" + queue + "/items?state=DEAD").body()).get("items")).isEmpty();
		HttpResponse<String> badState = second.get("/queues/" + queue + "/items?state=LOST");
		assertThat(badState.statusCode()).isEqualTo(400);
		assertThat(json.readTree(badState.body()).get("detail").asString()).contains("QUEUED", "LOST");
		assertThat(second.get("/queues/" + queue + "/items?after=x").statusCode()).isEqualTo(400);
	}

	@Test
	void anItemItsTopicRefusesAsTooLargeIsAnswered413AndItsIdempotencyKeyStaysFree() throws Exception {
		String queue = newQueue();
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, coordinators.broker().getBrokersAsString()))) {
			admin.createTopics(List.of(new NewTopic(topics().items(queue), 1, (short) 1)
				.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2048")))).all().get();
		}
		String large = "{\"payload\":\"" + "x".repeat(4000) + "\"}";

		HttpResponse<String> refused = post(coordinators.first(), "/queues/" + queue + "/items", large, "big-1");
		assertThat(refused.statusCode()).isEqualTo(413);
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(json.readTree(refused.body()).get("detail").asString())
			.startsWith("Kafka refused a record as too large")
			.endsWith("(its max.message.bytes)");
		String id = ItemIds.forIdempotencyKey(queue, "big-1");
		assertThat(WorkApps.http(coordinators.first()).get("/items/" + id).statusCode()).isEqualTo(404);
		assertThat(post(coordinators.first(), "/queues/" + queue + "/items", large, null).statusCode()).isEqualTo(413);

		HttpResponse<String> retried = post(coordinators.first(), "/queues/" + queue + "/items",
				"{\"payload\":\"smaller\"}", "big-1");
		assertThat(retried.statusCode()).isEqualTo(202);
		assertThat(json.readTree(retried.body()).get("duplicate").asBoolean()).isFalse();
		assertThat(records(topics().items(queue), 1)).hasSize(1);
		assertThat(
				json.readTree(WorkApps.http(coordinators.first()).get("/queues/" + queue).body()).get("depth").asLong())
			.isOne();
	}

	@Test
	void aClientTokenGuardsSubmittingAndCancellingButNotReading() throws Exception {
		try (ConfigurableApplicationContext guarded = WorkApps.coordinator(coordinators.broker().getBrokersAsString(),
				Map.of("outrigger.work.client.token", "client-secret", "outrigger.admin.token", "admin-secret"))) {
			LoopbackHttp http = WorkApps.http(guarded);
			String path = "/queues/" + newQueue() + "/items";
			HttpResponse<String> missing = http.send(submission(http, path, null));
			assertThat(missing.statusCode()).isEqualTo(401);
			assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(json.readTree(missing.body()).get("detail").asString()).contains("OUTRIGGER_WORK_CLIENT_TOKEN");
			assertThat(http.send(submission(http, path, "wrong")).statusCode()).isEqualTo(403);

			HttpResponse<String> accepted = http.send(submission(http, path, "client-secret"));
			assertThat(accepted.statusCode()).isEqualTo(202);
			assertThat(http.send(submission(http, path, "admin-secret")).statusCode()).isEqualTo(202);
			String item = "/items/" + json.readTree(accepted.body()).get("id").asString();
			assertThat(http.get(item).statusCode()).isEqualTo(200);
			assertThat(http.send(HttpRequest.newBuilder(http.uri(item)).DELETE()).statusCode()).isEqualTo(401);
			HttpResponse<String> cancelled = http
				.send(HttpRequest.newBuilder(http.uri(item)).header("Authorization", "Bearer client-secret").DELETE());
			assertThat(cancelled.statusCode()).isEqualTo(200);
		}
		// without an admin token, a caller on loopback is an admin, but not a producer
		try (ConfigurableApplicationContext guarded = WorkApps.coordinator(coordinators.broker().getBrokersAsString(),
				Map.of("outrigger.work.client.token", "client-secret"))) {
			LoopbackHttp http = WorkApps.http(guarded);
			assertThat(http.send(submission(http, "/queues/" + newQueue() + "/items", null)).statusCode())
				.isEqualTo(401);
		}
	}

	private static HttpRequest.Builder submission(LoopbackHttp http, String path, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(http.uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"payload\":1}"));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return request;
	}

	private static HttpResponse<String> post(ConfigurableApplicationContext app, String path, String body,
			String idempotencyKey) throws IOException, InterruptedException {
		LoopbackHttp http = WorkApps.http(app);
		HttpRequest.Builder request = HttpRequest.newBuilder(http.uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return http.send(request);
	}

	private static QueueTopics topics() {
		return coordinators.first().getBean(QueueTopics.class);
	}

	private static List<ConsumerRecord<String, byte[]>> records(String topic, int atLeast) {
		Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				coordinators.broker().getBrokersAsString(), ConsumerConfig.GROUP_ID_CONFIG,
				"reader-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
			while (seen.size() < atLeast && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
			}
			// anything more that was written shows up within a further short read
			consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
		}
		return seen;
	}

	private static String newQueue() {
		return "api-" + queues.incrementAndGet();
	}

}
