package dev.outrigger.work.status;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;
import dev.outrigger.work.kafka.ConsumerThread;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Every item's latest status, materialized from the compacted status topic — so any
 * coordinator replica (and any agent) can answer for any item. Snapshots may arrive late
 * or twice; {@link ItemStatus#supersededBy} decides which one stands, and a late snapshot
 * that would otherwise become the last word for its key after compaction is reported to
 * {@code onLateSnapshot} so the standing one can be written again.
 * <p>
 * The view lives in a {@link StatusStore} on local disk, not on the heap: the first start
 * reads the topic from its beginning, a restart carries on from the positions the store
 * reached. A store that does not match the topic (another cluster, a re-created topic, a
 * position the log no longer has) is emptied and rebuilt.
 * <p>
 * An agent needs only each item's {@link StatusDigest}: its view keeps digests, read from
 * the records' {@link StatusHeaders} without parsing JSON, and answers {@link #digest}
 * only.
 */
public final class StatusView implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(StatusView.class);

	/**
	 * A coordinator's store reads and buffers more than an agent's, which holds digests.
	 */
	private static final long COORDINATOR_STORE_MEMORY = 16L << 20;

	private static final long AGENT_STORE_MEMORY = 4L << 20;

	private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

	private final Admin admin;

	private final String topic;

	private final ItemJson json;

	private final Clock clock;

	private final Consumer<ItemStatus> onLateSnapshot;

	private final boolean digestsOnly;

	private final StatusStore store;

	private final Map<String, FinishRate> finishRates = new ConcurrentHashMap<>();

	private final Map<Integer, Long> positions = new ConcurrentHashMap<>();

	private final Object progress = new Object();

	private volatile @Nullable Map<Integer, Long> startTargets;

	private final ConsumerThread thread;

	/**
	 * @param storeDir where the view's store lives (a volume that outlives the container
	 * makes restarts quick); null for a temporary directory, removed at close
	 * @param digestsOnly keep each item's {@link StatusDigest} only (an agent), not its
	 * status
	 */
	public StatusView(Supplier<KafkaConsumer<String, byte[]>> consumers, Admin admin, String topic, ItemJson json,
			Clock clock, Consumer<ItemStatus> onLateSnapshot, boolean digestsOnly, @Nullable Path storeDir) {
		this.store = new StatusStore(storeDir, digestsOnly ? AGENT_STORE_MEMORY : COORDINATOR_STORE_MEMORY);
		this.thread = new ConsumerThread("status-view", consumers, this::read);
		this.digestsOnly = digestsOnly;
		this.admin = admin;
		this.topic = topic;
		this.json = json;
		this.clock = clock;
		this.onLateSnapshot = onLateSnapshot;
	}

	public void start() {
		this.thread.start();
	}

	private void read(KafkaConsumer<String, byte[]> kafka) throws Exception {
		List<TopicPartition> partitions = kafka.partitionsFor(this.topic)
			.stream()
			.map((info) -> new TopicPartition(this.topic, info.partition()))
			.toList();
		kafka.assign(partitions);
		if (this.startTargets == null) {
			resume(kafka, partitions);
		}
		seek(kafka, partitions);
		if (this.startTargets == null) {
			this.startTargets = endOffsets(kafka, partitions);
		}
		while (this.thread.running()) {
			ConsumerRecords<String, byte[]> records = kafka.poll(Duration.ofSeconds(1));
			Map<Integer, Long> reached = new HashMap<>();
			for (TopicPartition partition : partitions) {
				long position = kafka.position(partition);
				if (!Long.valueOf(position).equals(this.positions.get(partition.partition()))) {
					reached.put(partition.partition(), position);
				}
			}
			List<StoredStatus> late = applyPolled(records, reached);
			this.positions.putAll(reached);
			synchronized (this.progress) {
				this.progress.notifyAll();
			}
			late.forEach(this::repair);
		}
	}

	/**
	 * Takes the positions the store reached, or empties it when it was built from
	 * something else than this topic as it is now.
	 */
	private void resume(KafkaConsumer<String, byte[]> kafka, List<TopicPartition> partitions) throws Exception {
		String topicId = this.admin.describeTopics(List.of(this.topic))
			.allTopicNames()
			.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
			.get(this.topic)
			.topicId()
			.toString();
		String builtFrom = (this.digestsOnly ? "digests of " : "statuses of ") + this.topic + " " + topicId;
		// local writes wait while the store may be emptied
		synchronized (this) {
			resumeFrom(kafka, partitions, builtFrom);
		}
	}

	private void resumeFrom(KafkaConsumer<String, byte[]> kafka, List<TopicPartition> partitions, String builtFrom) {
		boolean kept = this.store.keepIfBuiltFrom(builtFrom);
		Map<Integer, Long> stored = kept ? this.store.positions() : Map.of();
		Map<TopicPartition, Long> beginnings = kafka.beginningOffsets(partitions);
		Map<TopicPartition, Long> ends = kafka.endOffsets(partitions);
		for (TopicPartition partition : partitions) {
			Long position = stored.get(partition.partition());
			if (position != null && (position < beginnings.get(partition) || position > ends.get(partition))) {
				logger.warn("The status store in " + this.store.dir() + " is at " + partition + "@" + position
						+ ", which the log does not have (" + beginnings.get(partition) + " to " + ends.get(partition)
						+ "): rebuilding it from the status topic");
				this.store.clear();
				this.store.keepIfBuiltFrom(builtFrom);
				stored = Map.of();
				break;
			}
		}
		this.positions.putAll(stored);
		logger.info(stored.isEmpty() ? "Building the status store in " + this.store.dir() + " from the status topic"
				: "Status store in " + this.store.dir() + " carries on from " + stored.size()
						+ " partitions' positions");
	}

	private void seek(KafkaConsumer<String, byte[]> kafka, List<TopicPartition> partitions) {
		// from where the view is (after a restart, or a reconnect), else from the start
		for (TopicPartition partition : partitions) {
			Long position = this.positions.get(partition.partition());
			if (position != null) {
				kafka.seek(partition, position);
			}
			else {
				kafka.seekToBeginning(List.of(partition));
			}
		}
	}

	private static Map<Integer, Long> endOffsets(KafkaConsumer<String, byte[]> kafka, List<TopicPartition> partitions) {
		Map<Integer, Long> ends = new HashMap<>();
		kafka.endOffsets(partitions).forEach((partition, offset) -> ends.put(partition.partition(), offset));
		return ends;
	}

	/**
	 * Applies what a poll returned and the positions it reached in one batch.
	 * @return standing entries that a late snapshot in the batch would outlive
	 */
	private synchronized List<StoredStatus> applyPolled(ConsumerRecords<String, byte[]> records,
			Map<Integer, Long> reached) {
		List<StoredStatus> late = new ArrayList<>();
		StatusStore.Changes changes = this.store.changes();
		for (ConsumerRecord<String, byte[]> record : records) {
			StoredStatus standing = applyLogged(changes, record);
			if (standing != null) {
				late.add(standing);
			}
		}
		reached.forEach(changes::position);
		changes.commit();
		return late;
	}

	private @Nullable StoredStatus applyLogged(StatusStore.Changes changes, ConsumerRecord<String, byte[]> record) {
		if (record.value() == null) {
			forget(changes, record.key());
			return null;
		}
		Optional<StatusDigest> digest = StatusHeaders.digest(record.headers());
		if (this.digestsOnly && digest.isPresent()) {
			applyDigest(changes, record.key(), digest.get());
			return null;
		}
		Optional<String> queue = StatusHeaders.queue(record.headers());
		if (digest.isPresent() && queue.isPresent()) {
			// the JSON is parsed only if someone asks for this snapshot
			return apply(changes,
					new StoredStatus(record.key(), digest.get(), queue.get(), Instant.ofEpochMilli(record.timestamp()),
							record.offset(), StatusHeaders.keyed(record.headers()), record.value()));
		}
		ItemStatus status;
		try {
			status = this.json.readStatus(record.value());
		}
		catch (RuntimeException ex) {
			logger.warn("Skipping unreadable status record at " + record.topic() + "-" + record.partition() + "@"
					+ record.offset() + ": " + ex.getMessage());
			return null;
		}
		if (this.digestsOnly) {
			applyDigest(changes, status.id(), StatusDigest.of(status));
			return null;
		}
		return apply(changes, StoredStatus.of(status, record.offset(), record.value()));
	}

	private void repair(StoredStatus standing) {
		ItemStatus status = parsed(standing);
		if (status != null) {
			this.onLateSnapshot.accept(status);
		}
	}

	/**
	 * Applies a snapshot this process has just written, before it comes back from the
	 * log.
	 * @param json the snapshot as written
	 */
	public synchronized void applyLocal(ItemStatus status, byte[] json) {
		StatusStore.Changes changes = this.store.changes();
		if (this.digestsOnly) {
			applyDigest(changes, status.id(), StatusDigest.of(status));
		}
		else {
			apply(changes, StoredStatus.of(status, -1, json));
		}
		changes.commit();
	}

	/** Forgets an item this process has just written a tombstone for. */
	public synchronized void forgetLocal(String id) {
		StatusStore.Changes changes = this.store.changes();
		forget(changes, id);
		changes.commit();
	}

	private static void forget(StatusStore.Changes changes, String id) {
		changes.current(id).ifPresent(changes::remove);
	}

	private void applyDigest(StatusStore.Changes changes, String id, StatusDigest digest) {
		StoredStatus current = changes.current(id).orElse(null);
		if (current == null || current.digest().supersededBy(digest)) {
			changes.put(current, StoredStatus.digestOnly(id, digest));
		}
	}

	/**
	 * @return the standing entry when {@code next} came late from the log after a final
	 * state and differs from it, else null
	 */
	private @Nullable StoredStatus apply(StatusStore.Changes changes, StoredStatus next) {
		StoredStatus current = changes.current(next.id()).orElse(null);
		if (current == null || current.digest().supersededBy(next.digest())) {
			changes.put(current, next);
			if (next.finished() && (current == null || current.digest().state() != next.digest().state())) {
				this.finishRates.computeIfAbsent(next.queue(), (queue) -> new FinishRate()).finished(next.updatedAt());
			}
			return null;
		}
		if (next.offset() >= 0 && Arrays.equals(current.json(), next.json())) {
			// our own write (or a duplicate) read back: a final state remembers where the
			// log has it, for the late-snapshot check below; no other state needs to
			if (current.finished() && current.offset() != next.offset()) {
				changes.rewrite(current.at(next.offset()));
			}
			return null;
		}
		StatusDigest standing = current.digest();
		boolean lateAfterFinal = next.offset() > current.offset() && current.offset() >= 0
				&& standing.state().finished() && standing.state() != next.digest().state()
				&& standing.generation() >= next.digest().generation();
		return lateAfterFinal ? current : null;
	}

	/** What is known of the item's latest status, in either kind of view. */
	public Optional<StatusDigest> digest(String id) {
		return this.store.get(id).map(StoredStatus::digest);
	}

	/**
	 * Whether nothing is left to do for a delivery of the item's generation
	 * {@code generation}.
	 */
	public boolean settles(String id, int generation) {
		return digest(id).map((status) -> status.settles(generation)).orElse(false);
	}

	public Optional<ItemStatus> get(String id) {
		if (this.digestsOnly) {
			throw new IllegalStateException("this status view keeps digests only");
		}
		return this.store.get(id).map(this::parsed);
	}

	/** The entry's snapshot, or null (logged) if its JSON cannot be read. */
	private @Nullable ItemStatus parsed(StoredStatus entry) {
		try {
			return entry.status(this.json);
		}
		catch (RuntimeException ex) {
			logger.warn("Unreadable status snapshot of item " + entry.id() + " at offset " + entry.offset() + ": "
					+ ex.getMessage());
			return null;
		}
	}

	/**
	 * The item's status, reading the log up to its current end first when this view does
	 * not know the item yet — so a replica answers for an item another replica accepted a
	 * moment ago.
	 */
	public Optional<ItemStatus> getConsistent(String id, Duration timeout) {
		Optional<ItemStatus> known = get(id);
		if (known.isPresent()) {
			return known;
		}
		catchUp(timeout);
		return get(id);
	}

	/**
	 * Waits until this view has read everything written to the status topic before the
	 * call.
	 */
	public void catchUp(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Map<Integer, Long> targets = latestOffsets(timeout);
		synchronized (this.progress) {
			while (!reached(targets)) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new StatusUnavailableException("the status view did not catch up within " + timeout);
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.progress, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new StatusUnavailableException("interrupted while the status view caught up");
				}
			}
		}
	}

	private Map<Integer, Long> latestOffsets(Duration timeout) {
		List<TopicPartition> partitions = new ArrayList<>();
		this.positions.keySet().forEach((partition) -> partitions.add(new TopicPartition(this.topic, partition)));
		if (partitions.isEmpty()) {
			throw new StatusUnavailableException("the status view has not started reading yet");
		}
		Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
		partitions.forEach((partition) -> specs.put(partition, OffsetSpec.latest()));
		try {
			Map<Integer, Long> targets = new HashMap<>();
			this.admin.listOffsets(specs)
				.all()
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS)
				.forEach((partition, info) -> targets.put(partition.partition(), info.offset()));
			return targets;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StatusUnavailableException("interrupted while asking Kafka for the status topic's end");
		}
		catch (Exception ex) {
			throw new StatusUnavailableException("Kafka did not say where the status topic ends: " + ex.getMessage());
		}
	}

	private boolean reached(Map<Integer, Long> targets) {
		for (Map.Entry<Integer, Long> target : targets.entrySet()) {
			Long position = this.positions.get(target.getKey());
			if (position == null || position < target.getValue()) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether the view has read the status topic as far as it reached when the view
	 * started.
	 */
	public boolean caughtUpAtStart() {
		Map<Integer, Long> targets = this.startTargets;
		return targets != null && reached(targets);
	}

	public QueueStats stats(String queue) {
		Map<ItemState, Long> counts = this.store.counts(queue);
		FinishRate rate = this.finishRates.get(queue);
		return new QueueStats(queue, counts.get(ItemState.QUEUED) + counts.get(ItemState.RETRYING),
				counts.get(ItemState.RUNNING),
				Map.of(ItemState.SUCCEEDED, counts.get(ItemState.SUCCEEDED), ItemState.DEAD, counts.get(ItemState.DEAD),
						ItemState.CANCELLED, counts.get(ItemState.CANCELLED)),
				(rate != null) ? rate.perSecond(this.clock.instant()) : 0.0);
	}

	/** The dead items of {@code queue}, oldest first, at most {@code limit}. */
	public List<ItemStatus> dead(String queue, int limit) {
		return statuses(this.store.oldestIds(queue, ItemState.DEAD, limit));
	}

	/**
	 * A page of {@code queue}'s items, newest first.
	 * @param state only items in this state, or null for all
	 * @param after the {@link ItemPage#next} of the page before, or null for the first
	 * @throws IllegalArgumentException when {@code after} is not such a token
	 */
	public ItemPage items(String queue, @Nullable ItemState state, @Nullable String after, int limit) {
		byte[] before = null;
		if (after != null) {
			try {
				before = Base64.getUrlDecoder().decode(after);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("\"after\" is not a page token this API gave out: " + after);
			}
		}
		StatusStore.IdPage page = this.store.newestIds(queue, state, before, limit);
		String next = (page.next() != null) ? Base64.getUrlEncoder().withoutPadding().encodeToString(page.next())
				: null;
		return new ItemPage(statuses(page.ids()), next);
	}

	/** Every queue the view has items of, by name. */
	public List<String> queues() {
		return this.store.queues();
	}

	private List<ItemStatus> statuses(List<String> ids) {
		return ids.stream().map(this::get).flatMap(Optional::stream).toList();
	}

	/**
	 * Up to {@code limit} items, oldest first, that reached a final state before
	 * {@code cutoff}: due to be forgotten. Those submitted with an idempotency key when
	 * {@code keyed}, the others when not, as the two are kept for different times.
	 */
	public List<String> finishedBefore(boolean keyed, Instant cutoff, int limit) {
		return this.store.finishedBefore(keyed, cutoff, limit);
	}

	/**
	 * About how many entries the store holds: items, and their index entries in a
	 * coordinator.
	 */
	public long size() {
		return this.store.estimatedItems();
	}

	@Override
	public void close() throws InterruptedException {
		this.thread.close();
		synchronized (this) {
			this.store.close();
		}
	}

}
