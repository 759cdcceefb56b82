package dev.outrigger.work.agent.share;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.outrigger.work.coordinator.Submission;
import dev.outrigger.work.item.ItemIds;
import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;
import dev.outrigger.work.testing.ScriptedWorker.Answer;
import dev.outrigger.work.testing.ScriptedWorker.Call;
import dev.outrigger.work.testing.ScriptedWorker;
import dev.outrigger.work.testing.TestBrokers;
import dev.outrigger.work.testing.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ShareEngine} in a real agent application against one embedded KRaft broker with
 * 2 s record locks and a delivery limit of 3, calling a scripted HTTP worker. Each test
 * uses its own queue and share group. Queues have one partition, so every consumer of the
 * group shares it: a record whose lock ran out would be fetched by another consumer at
 * once.
 */
@Timeout(300)
class ShareEngineTests {

	private static final int DELIVERY_LIMIT = 3;

	private static final Duration SETTLES = Duration.ofSeconds(60);

	/** Short backoffs, so retries take a moment. */
	private static final Map<String, String> QUICK_RETRIES = Map.of("outrigger.work.backoff.initial", "100ms",
			"outrigger.work.backoff.max", "200ms");

	private static EmbeddedKafkaKraftBroker broker;

	private final String queue = "share-" + UUID.randomUUID().toString().substring(0, 8);

	private final ScriptedWorker worker = new ScriptedWorker();

	private final List<ShareAgent> agents = new ArrayList<>();

	/** Opened by a test to let a blocked worker call finish. */
	private final CountDownLatch release = new CountDownLatch(1);

	@BeforeAll
	static void startBroker() {
		broker = TestBrokers.start(Map.of("group.share.delivery.count.limit", Integer.toString(DELIVERY_LIMIT)));
	}

	@AfterAll
	static void stopBroker() {
		broker.destroy();
	}

	@AfterEach
	void stopAgents() {
		this.release.countDown();
		this.agents.forEach(ShareAgent::close);
		this.worker.close();
	}

	@Test
	void anItemWhoseAgentStopsMidCallRunsAgainOnAnotherAgentAndSucceedsOnce() {
		AtomicInteger calls = new AtomicInteger();
		this.worker.script((call) -> (calls.incrementAndGet() == 1) ? blocked(call) : ok(call));
		ShareAgent first = agent(Map.of());
		String id = first.submit(this.queue, Submission.of(payload(first, "{\"n\":1}")));
		await().atMost(SETTLES).until(() -> this.worker.callsFor(id).size() == 1);

		first.engine().stop();
		ShareAgent second = agent(Map.of());

		await().atMost(SETTLES).until(() -> second.reached(id, ItemState.SUCCEEDED));
		List<Call> made = this.worker.callsFor(id);
		assertThat(made).hasSize(2);
		assertThat(made).extracting(Call::idempotencyKey).containsOnly(id);
		assertThat(made).extracting(Call::attempt).containsExactly(1, 2);
		assertThat(succeededRecords(second, id)).isEqualTo(1);
	}

	@Test
	void poisonItemsAreDeadLetteredAndDoNotHoldUpTheItemsBehindThem() throws Exception {
		this.worker.script((call) -> call.body().contains("\"fail\":422") ? Answer.status(422)
				: call.body().contains("\"fail\":500") ? Answer.status(500) : ok(call));
		ShareAgent agent = agent(QUICK_RETRIES);
		String topic = agent.topics().items(this.queue);
		RecordMetadata notJson = agent.kafka()
			.send(topic, "not-json", "{not json".getBytes(StandardCharsets.UTF_8))
			.get(30, TimeUnit.SECONDS)
			.getRecordMetadata();
		String unreadable = ItemIds.forUnreadableRecord(topic, notJson.partition(), notJson.offset());
		String fatal = agent.submit(this.queue, Submission.of(payload(agent, "{\"fail\":422}")));
		String failing = agent.submit(this.queue,
				new Submission(payload(agent, "{\"fail\":500}"), null, 3, null, null));
		String ordinary = agent.submit(this.queue, Submission.of(payload(agent, "{\"ordinary\":true}")));

		await().atMost(SETTLES)
			.until(() -> agent.reached(unreadable, ItemState.DEAD) && agent.reached(fatal, ItemState.DEAD)
					&& agent.reached(failing, ItemState.DEAD) && agent.reached(ordinary, ItemState.SUCCEEDED));
		assertThat(agent.status(unreadable)).get().extracting(ItemStatus::attempts).isEqualTo(1);
		assertThat(this.worker.callsFor(fatal)).hasSize(1);
		assertThat(this.worker.callsFor(failing)).extracting(Call::attempt).containsExactly(1, 2, 3);
		assertThat(this.worker.callsFor(ordinary)).hasSize(1);
		List<ConsumerRecord<String, byte[]>> dead = deadLetters(agent, 3);
		assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("not-json", fatal, failing);
		assertThat(header(recordOf(dead, failing), KafkaHeaders.DLT_EXCEPTION_MESSAGE))
			.contains("gave up after 3 attempts");
		assertThat(header(recordOf(dead, failing), KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(topic);
		assertThat(header(recordOf(dead, fatal), KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("HTTP 422");
		assertThat(recordOf(dead, "not-json").value()).asString(StandardCharsets.UTF_8).isEqualTo("{not json");
	}

	@Test
	void anItemAskingForMoreAttemptsThanKafkaDeliversIsDeadLetteredAtTheDeliveryLimit() {
		this.worker.script((call) -> Answer.status(500));
		ShareAgent agent = agent(QUICK_RETRIES);
		String id = agent.submit(this.queue,
				new Submission(payload(agent, "{\"fail\":500}"), null, DELIVERY_LIMIT + 2, null, null));

		await().atMost(SETTLES).until(() -> agent.reached(id, ItemState.DEAD));
		assertThat(this.worker.callsFor(id)).extracting(Call::attempt).containsExactly(1, 2, 3);
		assertThat(agent.status(id)).get()
			.extracting(ItemStatus::lastError)
			.asString()
			.contains("gave up after " + DELIVERY_LIMIT + " attempts");
		assertThat(deadLetters(agent, 1)).extracting(ConsumerRecord::key).containsExactly(id);
	}

	@Test
	void anItemRunningLongerThanItsRecordLockKeepsItAndRunsOnce() {
		Duration longerThanTheLock = Duration.ofMillis(TestBrokers.SHARE_LOCK_MILLIS * 3);
		this.worker.script((call) -> {
			sleep(longerThanTheLock);
			return ok(call);
		});
		ShareAgent agent = agent(Map.of());
		String id = agent.submit(this.queue, Submission.of(payload(agent, "{\"slow\":true}")));

		await().atMost(SETTLES).until(() -> agent.reached(id, ItemState.SUCCEEDED));
		// a lock that ran out would bring the record back within one more lock duration
		await().during(Duration.ofMillis(TestBrokers.SHARE_LOCK_MILLIS * 2))
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.worker.callsFor(id).size() == 1);
		assertThat(agent.status(id)).get().extracting(ItemStatus::attempts).isEqualTo(1);
		assertThat(succeededRecords(agent, id)).isEqualTo(1);
	}

	@Test
	void drainHandsBackAnItemStillRunningAtItsDeadlineForAnotherAgent() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		this.worker.script((call) -> (calls.incrementAndGet() == 1) ? blocked(call) : ok(call));
		ShareAgent first = agent(Map.of());
		String id = first.submit(this.queue, Submission.of(payload(first, "{\"n\":1}")));
		await().atMost(SETTLES).until(() -> this.worker.callsFor(id).size() == 1);

		Duration deadline = Duration.ofSeconds(2);
		long started = System.nanoTime();
		first.engine().drain(deadline);
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		// handed back unfinished: still RUNNING until another agent runs it
		assertThat(first.status(id)).get().extracting(ItemStatus::state).isEqualTo(ItemState.RUNNING);
		ShareAgent second = agent(Map.of());

		// drain may overrun its deadline only by scheduling on a busy machine
		assertThat(took).isLessThan(deadline.plusSeconds(1));
		await().atMost(SETTLES).until(() -> second.reached(id, ItemState.SUCCEEDED));
		assertThat(this.worker.callsFor(id)).extracting(Call::attempt).containsExactly(1, 2);
		assertThat(succeededRecords(second, id)).isEqualTo(1);
	}

	@Test
	void aPausedEngineTakesNoItemUntilResumed() {
		ShareAgent agent = agent(Map.of());
		await().atMost(SETTLES).until(() -> agent.engine().readiness().ready());
		agent.engine().pause();
		String id = agent.submit(this.queue, Submission.of(payload(agent, "{\"n\":1}")));

		await().during(Duration.ofMillis(TestBrokers.SHARE_LOCK_MILLIS))
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.worker.callsFor(id).isEmpty());
		agent.engine().resume();

		await().atMost(SETTLES).until(() -> agent.reached(id, ItemState.SUCCEEDED));
		assertThat(this.worker.callsFor(id)).extracting(Call::attempt).containsExactly(1);
	}

	@Test
	void anItemHandedBackAtTheDeliveryLimitIsRequeuedNotArchived() {
		AtomicInteger calls = new AtomicInteger();
		this.worker.script((call) -> switch (calls.incrementAndGet()) {
			case 1, 2 -> Answer.status(500);
			case 3 -> blocked(call);
			default -> ok(call);
		});
		ShareAgent first = agent(QUICK_RETRIES);
		String id = first.submit(this.queue,
				new Submission(payload(first, "{\"n\":1}"), null, DELIVERY_LIMIT, null, null));
		await().atMost(SETTLES).until(() -> this.worker.callsFor(id).size() == DELIVERY_LIMIT);

		first.engine().stop();
		ShareAgent second = agent(QUICK_RETRIES);

		await().atMost(SETTLES).until(() -> second.reached(id, ItemState.SUCCEEDED));
		assertThat(this.worker.callsFor(id)).extracting(Call::attempt).containsExactly(1, 2, 3, 4);
		assertThat(succeededRecords(second, id)).isEqualTo(1);
	}

	private ShareAgent agent(Map<String, String> settings) {
		Map<String, String> all = new HashMap<>(settings);
		all.put("outrigger.work.topics.partitions", "1");
		ShareAgent agent = ShareAgent.start(broker.getBrokersAsString(), this.queue, this.worker, all);
		this.agents.add(agent);
		return agent;
	}

	private Answer blocked(Call call) {
		try {
			this.release.await(2, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return ok(call);
	}

	private static Answer ok(Call call) {
		return Answer.ok("{\"done\":\"" + call.itemId() + "\"}");
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static JsonNode payload(ShareAgent agent, String json) {
		return agent.json().mapper().readTree(json);
	}

	/**
	 * SUCCEEDED snapshots of {@code id} in the status topic: more than one means it ran
	 * twice.
	 */
	private static long succeededRecords(ShareAgent agent, String id) {
		return TopicRecords.readAll(broker.getBrokersAsString(), agent.topics().status())
			.stream()
			.filter((record) -> id.equals(record.key()) && record.value() != null)
			.map((record) -> agent.json().readStatus(record.value()))
			.filter((status) -> status.state() == ItemState.SUCCEEDED)
			.count();
	}

	private List<ConsumerRecord<String, byte[]>> deadLetters(ShareAgent agent, int expected) {
		String topic = agent.topics().dead(this.queue);
		await().atMost(SETTLES)
			.until(() -> TopicRecords.readAll(broker.getBrokersAsString(), topic).size() >= expected);
		return TopicRecords.readAll(broker.getBrokersAsString(), topic);
	}

	private static ConsumerRecord<String, byte[]> recordOf(List<ConsumerRecord<String, byte[]>> records, String key) {
		return records.stream().filter((record) -> key.equals(record.key())).findFirst().orElseThrow();
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		Header header = record.headers().lastHeader(name);
		assertThat(header).as("header " + name).isNotNull();
		return new String(header.value(), StandardCharsets.UTF_8);
	}

}
