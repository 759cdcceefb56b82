package dev.outrigger.work.status;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.outrigger.kafka.KafkaClientSettings;
import dev.outrigger.work.item.ItemIds;
import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;
import dev.outrigger.work.item.WorkItem;
import dev.outrigger.work.kafka.KafkaSettings;
import dev.outrigger.work.testing.WorkBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status view on its {@link StatusStore}, against a real broker: a restart carries on
 * from the store's positions (it knows items the log no longer has), a store built from
 * another topic is rebuilt, and the retention keeps items with an idempotency key for the
 * idempotency window.
 */
@Timeout(120)
class StatusStoreTests {

	private static final Duration CATCH_UP = Duration.ofSeconds(30);

	@RegisterExtension
	static final WorkBroker kafka = new WorkBroker();

	private static KafkaSettings settings;

	private static Admin admin;

	private final ItemJson json = new ItemJson();

	private final List<AutoCloseable> opened = new ArrayList<>();

	@BeforeAll
	static void connect() {
		settings = new KafkaSettings(new KafkaClientSettings(kafka.bootstrapServers(), "status-store-tests", Map.of()));
		admin = Admin.create(settings.admin());
	}

	@AfterAll
	static void disconnect() {
		admin.close();
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.opened.reversed()) {
			closeable.close();
		}
	}

	@Test
	void aRestartCarriesOnFromTheStoresPositionsNotFromTheStartOfTheTopic(@TempDir Path store) throws Exception {
		String topic = newTopic();
		StatusPublisher publisher = publisher(topic);
		List<String> before = publish(publisher, 100, ItemState.SUCCEEDED, null);
		List<String> dead = publish(publisher, 3, ItemState.DEAD, null);
		StatusView first = caughtUp(topic, store);
		assertThat(first.stats("q").outcomes()).containsEntry(ItemState.SUCCEEDED, 100L)
			.containsEntry(ItemState.DEAD, 3L);
		first.close();

		deleteEverythingWrittenSoFar(topic);
		List<String> after = publish(publisher, 10, ItemState.SUCCEEDED, null);
		StatusView restarted = caughtUp(topic, store);
		StatusView fresh = caughtUp(topic, null);

		assertThat(fresh.get(before.getFirst())).as("the log no longer has the first items").isEmpty();
		assertThat(restarted.get(before.getFirst())).as("the store kept them")
			.hasValueSatisfying((status) -> assertThat(status.state()).isEqualTo(ItemState.SUCCEEDED));
		assertThat(restarted.get(after.getLast())).isPresent();
		assertThat(restarted.stats("q").outcomes()).containsEntry(ItemState.SUCCEEDED, 110L)
			.containsEntry(ItemState.DEAD, 3L);
		assertThat(restarted.dead("q", 10)).extracting(ItemStatus::id).containsExactlyInAnyOrderElementsOf(dead);
		assertThat(restarted.finishedBefore(false, Instant.now().plusSeconds(60), 1000)).hasSize(113);
	}

	@Test
	void aStoreBuiltFromATopicThatWasDeletedAndCreatedAgainIsRebuilt(@TempDir Path store) throws Exception {
		String topic = newTopic();
		List<String> old = publish(publisher(topic), 5, ItemState.SUCCEEDED, null);
		caughtUp(topic, store).close();
		admin.deleteTopics(List.of(topic)).all().get();
		await().atMost(CATCH_UP).ignoreExceptions().until(() -> {
			createTopic(topic);
			return true;
		});

		// more than before, so the store's positions are all within the new log: only the
		// topic's identity tells them apart
		List<String> current = publish(publisher(topic), 30, ItemState.DEAD, null);
		StatusView rebuilt = caughtUp(topic, store);

		assertThat(rebuilt.get(old.getFirst())).isEmpty();
		assertThat(rebuilt.get(current.getFirst())).isPresent();
		assertThat(rebuilt.stats("q").outcomes()).containsEntry(ItemState.SUCCEEDED, 0L)
			.containsEntry(ItemState.DEAD, 30L);
	}

	@Test
	void itemsWithAnIdempotencyKeyOutliveTheRetentionForTheIdempotencyWindow() throws Exception {
		String topic = newTopic();
		StatusPublisher publisher = publisher(topic);
		String plain = publish(publisher, 1, ItemState.SUCCEEDED, null).getFirst();
		String keyed = publish(publisher, 1, ItemState.SUCCEEDED, "order-7").getFirst();
		StatusView view = caughtUp(topic, null);
		StatusPublisher coordinator = new StatusPublisher(template(), topic, this.json, view);

		assertThat(retentionAt(view, coordinator, Duration.ofHours(2)).sweep()).isOne();
		await().atMost(CATCH_UP).until(() -> view.get(plain).isEmpty());
		assertThat(view.get(keyed)).as("within the 24h window").isPresent();

		assertThat(retentionAt(view, coordinator, Duration.ofHours(25)).sweep()).isOne();
		await().atMost(CATCH_UP).until(() -> view.get(keyed).isEmpty());
	}

	/** A one-hour retention and a 24-hour window, swept as if {@code later} from now. */
	private static StatusRetention retentionAt(StatusView view, StatusPublisher publisher, Duration later) {
		Clock clock = Clock.fixed(Instant.now().plus(later), ZoneOffset.UTC);
		return new StatusRetention(view, publisher, Duration.ofHours(1), Duration.ofHours(24), clock);
	}

	private List<String> publish(StatusPublisher publisher, int count, ItemState state,
			@Nullable String idempotencyKey) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = (idempotencyKey != null) ? ItemIds.forIdempotencyKey("q", idempotencyKey) : ItemIds.random();
			Instant now = Instant.now();
			WorkItem item = new WorkItem(id, "q", JsonNodeFactory.instance.objectNode(), null, 1, 1000, null, now, 0,
					idempotencyKey);
			KafkaWrites.confirm(publisher.publish(ItemStatus.of(item, state, 1, now, now, null, "test")));
			ids.add(id);
		}
		return ids;
	}

	/** A publisher whose own view (never started) only takes what it writes. */
	private StatusPublisher publisher(String topic) {
		return new StatusPublisher(template(), topic, this.json, view(topic, null));
	}

	private StatusView caughtUp(String topic, @Nullable Path store) {
		StatusView view = view(topic, store);
		view.start();
		await().atMost(CATCH_UP).until(view::caughtUpAtStart);
		return view;
	}

	private StatusView view(String topic, @Nullable Path store) {
		StatusView view = new StatusView(() -> new KafkaConsumer<>(settings.reader("status-store-tests")), admin, topic,
				this.json, Clock.systemUTC(), (late) -> {
				}, false, store);
		this.opened.add(view);
		return view;
	}

	private KafkaTemplate<String, byte[]> template() {
		DefaultKafkaProducerFactory<String, byte[]> producers = new DefaultKafkaProducerFactory<>(settings.producer());
		this.opened.add(producers::destroy);
		return new KafkaTemplate<>(producers);
	}

	private static String newTopic() throws Exception {
		String topic = "status-" + UUID.randomUUID().toString().substring(0, 8);
		createTopic(topic);
		return topic;
	}

	private static void createTopic(String topic) throws Exception {
		admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
				// Kafka deletes records by request only where a delete policy is set
				TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
				TopicConfig.RETENTION_MS_CONFIG, "-1"))))
			.all()
			.get();
	}

	/** Moves every partition's start to its end, as if the log had lost its past. */
	private static void deleteEverythingWrittenSoFar(String topic) throws Exception {
		Map<TopicPartition, RecordsToDelete> deletions = new HashMap<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings.reader("ends"))) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.endOffsets(partitions)
				.forEach((partition, end) -> deletions.put(partition, RecordsToDelete.beforeOffset(end)));
		}
		admin.deleteRecords(deletions).all().get();
	}

}
