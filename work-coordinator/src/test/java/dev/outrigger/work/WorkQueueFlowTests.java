package dev.outrigger.work;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.outrigger.testsupport.http.RecordingReceiver;
import dev.outrigger.testsupport.http.RecordingReceiver.Reply;
import dev.outrigger.testsupport.http.RecordingReceiver.Request;
import dev.outrigger.testsupport.net.LoopbackHttp;
import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.ItemStatus;
import dev.outrigger.work.testing.ScriptedWorker;
import dev.outrigger.work.testing.ScriptedWorker.Answer;
import dev.outrigger.work.testing.TopicRecords;
import dev.outrigger.work.testing.TwoCoordinators;
import dev.outrigger.work.testing.WorkApps;
import dev.outrigger.work.topic.QueueTopics;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pattern over HTTP, on each engine: a producer submits to one coordinator
 * replica, an agent runs the item against a real worker, the other replica reports the
 * outcome and the result, a callback arrives; a dead item is listed and re-driven to
 * success.
 */
@Timeout(300)
class WorkQueueFlowTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final AtomicInteger queues = new AtomicInteger();

	@RegisterExtension
	static final TwoCoordinators coordinators = new TwoCoordinators();

	@ParameterizedTest
	@ValueSource(strings = { "share", "classic" })
	void itemSucceedsWithItsResultReportedByTheOtherReplicaAndCalledBack(String engine) throws Exception {
		String queue = "flow-" + queues.incrementAndGet();
		try (RecordingReceiver receiver = RecordingReceiver.start().respond(Reply.status(204));
				ScriptedWorker worker = new ScriptedWorker();
				ConfigurableApplicationContext agent = agent(engine, queue, worker)) {
			worker.script((call) -> new Answer(200, "{\"echo\":" + call.body() + "}", "application/json"));
			String callback = receiver.uri("/done").toString();
			String id = submit(coordinators.first(), queue,
					"{\"payload\":{\"n\":7},\"callbackUrl\":\"" + callback + "\"}");

			JsonNode done = awaitState(coordinators.second(), id, "SUCCEEDED");
			assertThat(done.get("attempts").asInt()).isEqualTo(1);
			assertThat(done.get("result").asString()).isEqualTo("/items/" + id + "/result");
			HttpResponse<String> result = WorkApps.http(coordinators.second()).get("/items/" + id + "/result");
			assertThat(result.statusCode()).isEqualTo(200);
			assertThat(result.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
			assertThat(json.readTree(result.body()).get("echo").get("n").asInt()).isEqualTo(7);
			assertThat(worker.callsFor(id)).singleElement()
				.satisfies((call) -> assertThat(call.idempotencyKey()).isEqualTo(id));

			Request callbackRequest = receiver.awaitRequests(1, Duration.ofSeconds(20)).getFirst();
			assertThat(json.readTree(callbackRequest.body()).get("state").asString()).isEqualTo("SUCCEEDED");
			JsonNode stats = json.readTree(WorkApps.http(coordinators.first()).get("/queues/" + queue).body());
			assertThat(stats.get("outcomes").get("SUCCEEDED").asLong()).isEqualTo(1);
			assertThat(stats.get("depth").asLong()).isZero();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "share", "classic" })
	void deadItemIsListedAndReDrivenToSuccess(String engine) throws Exception {
		String queue = "flow-" + queues.incrementAndGet();
		AtomicBoolean fixed = new AtomicBoolean();
		try (ScriptedWorker worker = new ScriptedWorker();
				ConfigurableApplicationContext agent = agent(engine, queue, worker)) {
			worker.script((call) -> fixed.get() ? Answer.ok("{\"fixed\":true}") : Answer.status(422));
			String id = submit(coordinators.first(), queue, "{\"payload\":{\"broken\":true}}");
			JsonNode dead = awaitState(coordinators.first(), id, "DEAD");
			assertThat(dead.get("lastError").asString()).contains("HTTP 422");

			JsonNode listed = json
				.readTree(WorkApps.http(coordinators.second()).get("/queues/" + queue + "/dead").body());
			assertThat(listed).singleElement().satisfies((entry) -> {
				assertThat(entry.get("item").get("id").asString()).isEqualTo(id);
				assertThat(entry.get("payload").get("broken").asBoolean()).isTrue();
			});

			fixed.set(true);
			HttpResponse<String> redriven = WorkApps.http(coordinators.second())
				.post("/queues/" + queue + "/dead/" + id + "/retry");
			assertThat(redriven.statusCode()).isEqualTo(202);
			JsonNode succeeded = awaitState(coordinators.first(), id, "SUCCEEDED");
			assertThat(succeeded.get("redrives").asInt()).isEqualTo(1);
			assertThat(succeeded.get("attempts").asInt()).isEqualTo(1);
			assertThat(json.readTree(WorkApps.http(coordinators.first()).get("/queues/" + queue + "/dead").body()))
				.isEmpty();
			assertThat(worker.callsFor(id)).hasSize(2);
			assertThat(WorkApps.http(coordinators.first())
				.post("/queues/" + queue + "/dead/" + id + "/retry")
				.statusCode()).isEqualTo(409);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "share", "classic" })
	void cancelledItemIsSkippedByTheAgent(String engine) throws Exception {
		String queue = "flow-" + queues.incrementAndGet();
		String id = submit(coordinators.first(), queue, "{\"payload\":{\"cancel\":\"me\"}}");
		LoopbackHttp http = WorkApps.http(coordinators.first());
		assertThat(http.send(HttpRequest.newBuilder(http.uri("/items/" + id)).DELETE()).statusCode()).isEqualTo(200);
		String after = submit(coordinators.first(), queue, "{\"payload\":{\"keep\":\"me\"}}");
		try (ScriptedWorker worker = new ScriptedWorker();
				ConfigurableApplicationContext agent = agent(engine, queue, worker)) {
			awaitState(coordinators.first(), after, "SUCCEEDED");
			assertThat(worker.callsFor(id)).isEmpty();
			assertThat(json.readTree(http.get("/items/" + id).body()).get("state").asString()).isEqualTo("CANCELLED");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "share", "classic" })
	void onlyAnAttemptThatOutlastsTheReportDelayIsReportedRunning(String engine) throws Exception {
		String queue = "flow-" + queues.incrementAndGet();
		CountDownLatch release = new CountDownLatch(1);
		try (ScriptedWorker worker = new ScriptedWorker();
				ConfigurableApplicationContext agent = agent(engine, queue, worker,
						Map.of("outrigger.work.report-running-after", "3s"))) {
			worker.script((call) -> {
				if (call.body().contains("slow")) {
					awaitQuietly(release);
				}
				return Answer.ok("{}");
			});
			String quick = submit(coordinators.first(), queue, "{\"payload\":{\"quick\":true}}");
			awaitState(coordinators.first(), quick, "SUCCEEDED");
			String slow = submit(coordinators.first(), queue, "{\"payload\":{\"slow\":true}}");

			JsonNode running = awaitState(coordinators.second(), slow, "RUNNING");
			assertThat(running.get("attempts").asInt()).isEqualTo(1);
			assertThat(running.get("startedAt").isNull()).isFalse();
			release.countDown();
			awaitState(coordinators.first(), slow, "SUCCEEDED");

			ItemJson items = agent.getBean(ItemJson.class);
			Map<String, List<String>> states = TopicRecords
				.readAll(coordinators.broker().getBrokersAsString(), agent.getBean(QueueTopics.class).status())
				.stream()
				.filter((record) -> record.value() != null)
				.map((record) -> items.readStatus(record.value()))
				.filter((status) -> status.id().equals(quick) || status.id().equals(slow))
				.collect(Collectors.groupingBy(ItemStatus::id,
						Collectors.mapping((status) -> status.state().name(), Collectors.toList())));
			assertThat(states.get(quick)).containsExactly("QUEUED", "SUCCEEDED");
			assertThat(states.get(slow)).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(2, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static ConfigurableApplicationContext agent(String engine, String queue, ScriptedWorker worker) {
		return agent(engine, queue, worker, Map.of());
	}

	private static ConfigurableApplicationContext agent(String engine, String queue, ScriptedWorker worker,
			Map<String, String> more) {
		Map<String, String> settings = new HashMap<>(more);
		settings.putAll(Map.of("outrigger.work.engine", engine, "outrigger.work.queues", queue,
				"outrigger.work.worker-url", worker.url().toString(), "outrigger.work.group", "flow-" + queue));
		return WorkApps.agent(coordinators.broker().getBrokersAsString(), settings);
	}

	private static String submit(ConfigurableApplicationContext coordinator, String queue, String body)
			throws IOException, InterruptedException {
		LoopbackHttp http = WorkApps.http(coordinator);
		HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(http.uri("/queues/" + queue + "/items"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
		assertThat(accepted.statusCode()).isEqualTo(202);
		return json.readTree(accepted.body()).get("id").asString();
	}

	private static JsonNode awaitState(ConfigurableApplicationContext coordinator, String id, String state) {
		return await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> json.readTree(WorkApps.http(coordinator).get("/items/" + id).body()),
					(status) -> state.equals(status.path("state").asString()));
	}

}
