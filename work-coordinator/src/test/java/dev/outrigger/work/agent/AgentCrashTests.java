package dev.outrigger.work.agent;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.outrigger.testsupport.net.LoopbackHttp;
import dev.outrigger.testsupport.process.JavaProcess;
import dev.outrigger.work.testing.ScriptedWorker;
import dev.outrigger.work.testing.ScriptedWorker.Answer;
import dev.outrigger.work.testing.WorkBroker;
import dev.outrigger.work.testing.TopicRecords;
import dev.outrigger.work.testing.WorkApps;
import dev.outrigger.work.testing.WorkProcesses;
import dev.outrigger.work.topic.QueueTopics;
import org.awaitility.core.ConditionTimeoutException;
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
 * An agent killed (SIGKILL) with items in flight, as a process of its own, on both
 * engines: its records come back after the share group's lock expires or the classic
 * group's session times out, another agent runs them, and every item ends SUCCEEDED
 * exactly once — none lost, none finished twice.
 */
@Timeout(300)
class AgentCrashTests {

	private static final int ITEMS = 30;

	private static final int CONCURRENCY = 4;

	private static final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	static final WorkBroker kafka = new WorkBroker();

	@ParameterizedTest
	@ValueSource(strings = { "share", "classic" })
	void anAgentKilledWithItemsInFlightLosesNoneAndFinishesEachExactlyOnce(String engine) throws Exception {
		String queue = "crash-" + engine;
		try (ScriptedWorker worker = new ScriptedWorker();
				ConfigurableApplicationContext coordinator = WorkApps.coordinator(kafka.bootstrapServers(),
						Map.of("outrigger.work.queues", queue))) {
			// slow enough that the kill finds items in flight
			worker.script((call) -> {
				sleep(Duration.ofMillis(700));
				return Answer.ok("{}");
			});
			JavaProcess first = agent(engine, queue, worker);
			LoopbackHttp api = WorkApps.http(coordinator);
			List<String> ids = submit(api, queue);
			awaitOrShowLog(first, () -> worker.calls().size() >= CONCURRENCY + 2);

			first.kill();
			Set<String> calledBeforeTheKill = worker.calls()
				.stream()
				.map(ScriptedWorker.Call::itemId)
				.collect(Collectors.toSet());
			try (JavaProcess second = agent(engine, queue, worker)) {
				awaitOrShowLog(second, () -> ids.stream().allMatch((id) -> state(api, id).equals("SUCCEEDED")));
			}
			finally {
				first.close();
			}

			// the status topic also holds the other engine's items
			Map<String, Long> succeeded = TopicRecords
				.succeededSnapshots(kafka.bootstrapServers(), coordinator.getBean(QueueTopics.class).status())
				.entrySet()
				.stream()
				.filter((item) -> ids.contains(item.getKey()))
				.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
			assertThat(succeeded).containsOnlyKeys(ids).allSatisfy((id, count) -> assertThat(count).isOne());
			assertThat(ids).as("some item was in flight at the kill and ran again")
				.anySatisfy((id) -> assertThat(calledBeforeTheKill).contains(id))
				.anySatisfy((id) -> assertThat(worker.callsFor(id)).hasSizeGreaterThan(1));
		}
	}

	/** Waits up to two minutes; a failure quotes the end of the agent's log. */
	private static void awaitOrShowLog(JavaProcess agent, Callable<Boolean> condition) {
		try {
			await().atMost(Duration.ofMinutes(2)).until(condition);
		}
		catch (ConditionTimeoutException ex) {
			String log = agent.log();
			throw new AssertionError(
					ex.getMessage() + "; the agent's log ends:\n" + log.substring(Math.max(0, log.length() - 6000)),
					ex);
		}
	}

	private static JavaProcess agent(String engine, String queue, ScriptedWorker worker) {
		return WorkProcesses.start("agent", kafka.bootstrapServers(),
				Map.of("outrigger.work.queues", queue, "outrigger.work.worker-url", worker.url().toString(),
						"outrigger.work.engine", engine, "outrigger.work.group", "crash-" + engine,
						"outrigger.work.concurrency", Integer.toString(CONCURRENCY),
						// a classic group notices the dead member after its session times
						// out (Kafka's default is 45 s)
						"outrigger.work.kafka.properties[session.timeout.ms]", "6000"));
	}

	private static List<String> submit(LoopbackHttp api, String queue) throws Exception {
		StringBuilder body = new StringBuilder("[");
		for (int i = 0; i < ITEMS; i++) {
			body.append((i > 0) ? "," : "").append("{\"payload\":").append(i).append('}');
		}
		HttpRequest.Builder request = HttpRequest.newBuilder(api.uri("/queues/" + queue + "/items"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString()));
		HttpResponse<String> accepted = api.send(request);
		assertThat(accepted.statusCode()).isEqualTo(202);
		List<String> ids = new ArrayList<>();
		json.readTree(accepted.body()).get("items").forEach((item) -> ids.add(item.get("id").asString()));
		return ids;
	}

	private static String state(LoopbackHttp api, String id) {
		try {
			JsonNode item = json.readTree(api.get("/items/" + id).body());
			return item.path("state").asString("");
		}
		catch (IOException ex) {
			return "unanswered: " + ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
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

}
