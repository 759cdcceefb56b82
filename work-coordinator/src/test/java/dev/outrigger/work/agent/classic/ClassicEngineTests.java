package dev.outrigger.work.agent.classic;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.outrigger.work.agent.DeadLetters;
import dev.outrigger.work.agent.WorkEngine;
import dev.outrigger.work.coordinator.Submission;
import dev.outrigger.work.item.ItemIds;
import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;
import dev.outrigger.work.item.UnreadableItemException;
import dev.outrigger.work.testing.ScriptedWorker.Answer;
import dev.outrigger.work.testing.ScriptedWorker.Call;
import dev.outrigger.work.testing.ScriptedWorker;
import dev.outrigger.work.testing.WorkBroker;
import dev.outrigger.work.testing.TopicRecords;
import dev.outrigger.work.topic.QueueTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The classic engine in real agents against one embedded KRaft broker and a scripted HTTP
 * worker: the failure modes of a work queue (an agent lost mid-item, poison items, an
 * item outliving the poll interval) and the lifecycle (pause, drain). Every test has its
 * own queue and group.
 */
@Timeout(300)
class ClassicEngineTests {

	private static final Duration SETTLED = Duration.ofSeconds(60);

	@RegisterExtension
	static final WorkBroker kafka = new WorkBroker();

	private final ScriptedWorker worker = new ScriptedWorker();

	/** Lets go of worker calls that block until the test is over. */
	private final CountDownLatch testOver = new CountDownLatch(1);

	private final ItemJson json = new ItemJson();

	private ClassicAgents agents;

	@BeforeEach
	void newAgents() {
		this.agents = new ClassicAgents(kafka.bootstrapServers());
	}

	@AfterEach
	void stopAgents() {
		this.testOver.countDown();
		this.agents.close();
		this.worker.close();
	}

	@Test
	void anItemInFlightWhenItsAgentStopsRunsOnAnotherAgentAndSucceedsOnce() {
		String queue = queue("crash");
		this.worker.script(blockingFirstCall());
		ConfigurableApplicationContext first = this.agents.start(queue, group(queue), this.worker, Map.of());
		String id = submit(first, queue, Submission.of(payload("crash")));
		await().atMost(SETTLED).until(() -> this.worker.callsFor(id).size() == 1);

		// gone without committing, as after a crash (where the session timeout moves the
		// partitions)
		ClassicAgents.engine(first).stop();
		first.close();
		ConfigurableApplicationContext second = this.agents.start(queue, group(queue), this.worker, Map.of());

		await().atMost(SETTLED).until(() -> state(second, id).equals(Optional.of(ItemState.SUCCEEDED)));
		assertThat(this.worker.callsFor(id)).hasSize(2).extracting(Call::idempotencyKey).containsOnly(id);
		assertThat(succeededSnapshots(second).get(id)).isOne();
	}

	@Test
	void drainReturnsByItsDeadlineAndHandsTheItemInFlightToAnotherAgent() throws Exception {
		String queue = queue("drain");
		this.worker.script(blockingFirstCall());
		ConfigurableApplicationContext first = this.agents.start(queue, group(queue), this.worker, Map.of());
		WorkEngine engine = ClassicAgents.engine(first);
		String id = submit(first, queue, Submission.of(payload("drain")));
		await().atMost(SETTLED).until(() -> this.worker.callsFor(id).size() == 1);
		assertThat(engine.readiness().ready()).isTrue();

		Duration deadline = Duration.ofSeconds(2);
		long draining = System.nanoTime();
		engine.drain(deadline);
		Duration drained = Duration.ofNanos(System.nanoTime() - draining);

		// the worker holds the item until the test is over: a drain that waited for it
		// would take minutes
		assertThat(drained).isLessThan(deadline.plusSeconds(3));
		assertThat(engine.readiness().ready()).isFalse();
		first.close();
		ConfigurableApplicationContext second = this.agents.start(queue, group(queue), this.worker, Map.of());
		await().atMost(SETTLED).until(() -> state(second, id).equals(Optional.of(ItemState.SUCCEEDED)));
		assertThat(this.worker.callsFor(id)).hasSize(2);
		assertThat(succeededSnapshots(second).get(id)).isOne();
	}

	@Test
	void poisonItemsAreDeadLetteredWithoutHoldingUpTheItemBehindThemInTheirPartition() throws Exception {
		String queue = queue("poison");
		this.worker.script((call) -> {
			if (call.body().contains("\"fatal\"")) {
				return Answer.status(422);
			}
			return call.body().contains("\"flaky\"") ? Answer.status(500) : Answer.ok("{}");
		});
		// long enough that the item behind the failing one clearly runs before the
		// failing one's retry
		Duration initialBackoff = Duration.ofSeconds(2);
		ConfigurableApplicationContext agent = this.agents.start(queue, group(queue), this.worker,
				Map.of("outrigger.work.backoff.initial", initialBackoff.toMillis() + "ms"));
		QueueTopics topics = ClassicAgents.topics(agent);
		byte[] notJson = "not json {".getBytes(StandardCharsets.UTF_8);
		RecordMetadata unreadableRecord = rawSend(agent, topics.items(queue), "same-key", notJson);
		String unreadable = ItemIds.forUnreadableRecord(topics.items(queue), unreadableRecord.partition(),
				unreadableRecord.offset());
		String fatal = submit(agent, queue, new Submission(payload("fatal"), "same-key", null, null, null));
		String flaky = submit(agent, queue, new Submission(payload("flaky"), "same-key", 3, null, null));
		String ordinary = submit(agent, queue, new Submission(payload("ordinary"), "same-key", null, null, null));

		await().atMost(SETTLED)
			.until(() -> List.of(unreadable, fatal, flaky, ordinary)
				.stream()
				.allMatch((id) -> state(agent, id).map(ItemState::finished).orElse(false)));
		assertThat(state(agent, unreadable)).contains(ItemState.DEAD);
		assertThat(state(agent, fatal)).contains(ItemState.DEAD);
		assertThat(state(agent, flaky)).contains(ItemState.DEAD);
		assertThat(state(agent, ordinary)).contains(ItemState.SUCCEEDED);
		assertThat(this.worker.callsFor(fatal)).hasSize(1);
		assertThat(this.worker.callsFor(ordinary)).hasSize(1);
		List<Call> flakyCalls = this.worker.callsFor(flaky);
		assertThat(flakyCalls).extracting(Call::attempt).containsExactly(1, 2, 3);
		// each retry waited out its backoff: 2 s, then 4 s (the tolerance is the clock's
		// granularity)
		assertThat(Duration.between(flakyCalls.get(0).receivedAt(), flakyCalls.get(1).receivedAt()))
			.isGreaterThanOrEqualTo(initialBackoff.minusMillis(20));
		assertThat(Duration.between(flakyCalls.get(1).receivedAt(), flakyCalls.get(2).receivedAt()))
			.isGreaterThanOrEqualTo(initialBackoff.multipliedBy(2).minusMillis(20));
		// the item behind the failing one in its partition ran while that one waited for
		// its retry
		assertThat(this.worker.calls().indexOf(this.worker.callsFor(ordinary).get(0)))
			.isLessThan(this.worker.calls().indexOf(flakyCalls.get(1)));
		ItemStatus flakyStatus = ClassicAgents.statuses(agent).get(flaky).orElseThrow();
		assertThat(flakyStatus.attempts()).isEqualTo(3);
		assertThat(flakyStatus.lastError()).contains("gave up after 3 attempts");

		List<ConsumerRecord<String, byte[]>> dead = TopicRecords.readAll(kafka.bootstrapServers(), topics.dead(queue));
		assertThat(dead).hasSize(3);
		ConsumerRecord<String, byte[]> deadUnreadable = deadLetterOf(dead, notJson);
		assertThat(header(deadUnreadable, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(topics.items(queue));
		assertThat(header(deadUnreadable, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("not a work item");
		ConsumerRecord<String, byte[]> deadFatal = deadLetterOf(dead, fatal);
		assertThat(header(deadFatal, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("HTTP 422");
		ConsumerRecord<String, byte[]> deadFlaky = deadLetterOf(dead, flaky);
		assertThat(header(deadFlaky, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(topics.retry(queue));
		assertThat(header(deadFlaky, KafkaHeaders.DLT_EXCEPTION_FQCN))
			.isEqualTo(DeadLetters.DeadItemException.class.getName());
		assertThat(header(deadFlaky, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("gave up after 3 attempts")
			.contains("HTTP 500");
	}

	@Test
	void anItemOutlivingTheConfiguredPollIntervalRunsOnceWithoutLosingItsConsumer() {
		String queue = queue("long");
		Duration itemTakes = Duration.ofSeconds(8);
		this.worker.script((call) -> {
			sleep(itemTakes);
			return Answer.ok("{}");
		});
		// three consumers: had the item's consumer left the group, another would run the
		// item again
		ConfigurableApplicationContext agent = this.agents.start(queue, group(queue), this.worker,
				Map.of("outrigger.work.kafka.properties.max.poll.interval.ms", "5000"));
		String id = submit(agent, queue, Submission.of(payload("long")));

		await().atMost(SETTLED).until(() -> state(agent, id).equals(Optional.of(ItemState.SUCCEEDED)));
		await().during(Duration.ofSeconds(5))
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(this.worker.callsFor(id)).as("calls of the worker for the item").hasSize(1));
		assertThat(succeededSnapshots(agent).get(id)).isOne();
	}

	@Test
	void aPausedAgentTakesNoItemsUntilItResumes() {
		String queue = queue("pause");
		ConfigurableApplicationContext agent = this.agents.start(queue, group(queue), this.worker, Map.of());
		WorkEngine engine = ClassicAgents.engine(agent);
		await().atMost(SETTLED).until(() -> engine.readiness().ready());

		engine.pause();
		String id = submit(agent, queue, Submission.of(payload("pause")));
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.worker.calls()).as("calls of the worker while paused").isEmpty());

		engine.resume();
		await().atMost(SETTLED).until(() -> state(agent, id).equals(Optional.of(ItemState.SUCCEEDED)));
		assertThat(this.worker.callsFor(id)).hasSize(1);
	}

	@Test
	void anItemWhoseOutcomeKafkaDidNotTakeRunsAgainAndNoItemBehindItIsCommittedPastIt() throws Exception {
		String queue = queue("unconfirmed");
		String prefix = "unconfirmed-" + UUID.randomUUID().toString().substring(0, 8) + ".";
		// one partition, so the items run one behind the other on one consumer
		ConfigurableApplicationContext agent = this.agents.start(queue, group(queue), this.worker,
				Map.of("outrigger.work.topics.prefix", prefix, "outrigger.work.topics.partitions", "1"));
		WorkEngine engine = ClassicAgents.engine(agent);
		await().atMost(SETTLED).until(() -> engine.readiness().ready());
		engine.pause();
		List<String> ids = List.of(submit(agent, queue, Submission.of(payload("first"))),
				submit(agent, queue, Submission.of(payload("second"))),
				submit(agent, queue, Submission.of(payload("third"))));
		String status = ClassicAgents.topics(agent).status();

		// an outcome is larger than this: every outcome write fails until the limit is
		// lifted
		maxMessageBytes(status, "64");
		engine.resume();
		await().atMost(SETTLED).until(() -> this.worker.callsFor(ids.get(0)).size() >= 2);
		assertThat(committedOffset(group(queue), ClassicAgents.topics(agent).items(queue)))
			.as("offset committed while no outcome is recorded")
			.isZero();
		maxMessageBytes(status, "1048588");

		await().atMost(SETTLED)
			.until(() -> ids.stream().allMatch((id) -> state(agent, id).equals(Optional.of(ItemState.SUCCEEDED))));
		Map<String, Long> succeeded = succeededSnapshots(agent);
		assertThat(ids).allSatisfy((id) -> assertThat(succeeded.get(id)).as("SUCCEEDED snapshots of " + id).isOne());
	}

	/**
	 * The group's committed offset in partition 0 of {@code topic}, 0 if it committed
	 * none.
	 */
	private static long committedOffset(String group, String topic) throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
			OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get(30, TimeUnit.SECONDS)
				.get(new TopicPartition(topic, 0));
			return (committed != null) ? committed.offset() : 0;
		}
	}

	private static void maxMessageBytes(String topic, String bytes) throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
			AlterConfigOp set = new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, bytes),
					AlterConfigOp.OpType.SET);
			admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(set)))
				.all()
				.get(30, TimeUnit.SECONDS);
		}
	}

	/** The first call blocks until the test is over; later calls succeed at once. */
	private Function<Call, Answer> blockingFirstCall() {
		AtomicBoolean first = new AtomicBoolean(true);
		return (call) -> {
			if (first.getAndSet(false)) {
				awaitQuietly(this.testOver);
			}
			return Answer.ok("{\"done\":true}");
		};
	}

	private String submit(ConfigurableApplicationContext agent, String queue, Submission submission) {
		return ClassicAgents.submissions(agent).submit(queue, List.of(submission), null).get(0).id();
	}

	private static RecordMetadata rawSend(ConfigurableApplicationContext agent, String topic, String key, byte[] value)
			throws Exception {
		@SuppressWarnings("unchecked")
		KafkaTemplate<String, byte[]> kafka = agent.getBean(KafkaTemplate.class);
		return kafka.send(topic, key, value).get(30, TimeUnit.SECONDS).getRecordMetadata();
	}

	private static Optional<ItemState> state(ConfigurableApplicationContext agent, String id) {
		return ClassicAgents.statuses(agent).get(id).map(ItemStatus::state);
	}

	private static Map<String, Long> succeededSnapshots(ConfigurableApplicationContext agent) {
		return TopicRecords.succeededSnapshots(kafka.bootstrapServers(), ClassicAgents.topics(agent).status());
	}

	private ConsumerRecord<String, byte[]> deadLetterOf(List<ConsumerRecord<String, byte[]>> dead, String id) {
		return dead.stream().filter((record) -> id.equals(itemId(record.value()))).findFirst().orElseThrow();
	}

	private static ConsumerRecord<String, byte[]> deadLetterOf(List<ConsumerRecord<String, byte[]>> dead,
			byte[] value) {
		return dead.stream().filter((record) -> Arrays.equals(record.value(), value)).findFirst().orElseThrow();
	}

	private String itemId(byte[] value) {
		try {
			return this.json.readItem(value).id();
		}
		catch (UnreadableItemException ex) {
			return null;
		}
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		Header header = record.headers().lastHeader(name);
		assertThat(header).as("header " + name).isNotNull();
		return new String(header.value(), StandardCharsets.UTF_8);
	}

	private JsonNode payload(String kind) {
		return this.json.mapper().createObjectNode().put("kind", kind);
	}

	private static String queue(String purpose) {
		return purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static String group(String queue) {
		return "group-" + queue;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(2, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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
