package dev.outrigger.work.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
 * Every item's latest status, materialized from the compacted status topic by reading all
 * of its partitions from the start — so any coordinator replica (and any agent) can
 * answer for any item. Snapshots may arrive late or twice;
 * {@link ItemStatus#supersededBy} decides which one stands, and a late snapshot that
 * would otherwise become the last word for its key after compaction is reported to
 * {@code onLateSnapshot} so the standing one can be written again.
 * <p>
 * An agent needs only each item's {@link StatusDigest}: its view keeps digests, read from
 * the records' {@link StatusHeaders} without parsing JSON, and answers {@link #digest}
 * only.
 */
public final class StatusView implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(StatusView.class);

	private final Admin admin;

	private final String topic;

	private final ItemJson json;

	private final Clock clock;

	private final Consumer<ItemStatus> onLateSnapshot;

	private final boolean digestsOnly;

	private final Map<String, Entry> items = new ConcurrentHashMap<>();

	private final Map<String, StatusDigest> digests = new ConcurrentHashMap<>();

	private final Map<String, QueueTally> tallies = new HashMap<>();

	private final Map<Integer, Long> positions = new ConcurrentHashMap<>();

	private final Object progress = new Object();

	private volatile @Nullable Map<Integer, Long> startTargets;

	private final ConsumerThread thread;

	/**
	 * @param digestsOnly keep each item's {@link StatusDigest} only (an agent), not its
	 * status
	 */
	public StatusView(Supplier<KafkaConsumer<String, byte[]>> consumers, Admin admin, String topic, ItemJson json,
			Clock clock, Consumer<ItemStatus> onLateSnapshot, boolean digestsOnly) {
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

	private void read(KafkaConsumer<String, byte[]> kafka) {
		List<TopicPartition> partitions = kafka.partitionsFor(this.topic)
			.stream()
			.map((info) -> new TopicPartition(this.topic, info.partition()))
			.toList();
		kafka.assign(partitions);
		seek(kafka, partitions);
		if (this.startTargets == null) {
			this.startTargets = endOffsets(kafka, partitions);
		}
		while (this.thread.running()) {
			ConsumerRecords<String, byte[]> records = kafka.poll(Duration.ofSeconds(1));
			for (ConsumerRecord<String, byte[]> record : records) {
				applyLogged(record);
			}
			for (TopicPartition partition : partitions) {
				this.positions.put(partition.partition(), kafka.position(partition));
			}
			synchronized (this.progress) {
				this.progress.notifyAll();
			}
		}
	}

	private void seek(KafkaConsumer<String, byte[]> kafka, List<TopicPartition> partitions) {
		// after a reconnect, carry on where the view is instead of reading everything
		// again
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

	private void applyLogged(ConsumerRecord<String, byte[]> record) {
		if (record.value() == null) {
			remove(record.key());
			return;
		}
		Optional<StatusDigest> digest = StatusHeaders.digest(record.headers());
		if (this.digestsOnly && digest.isPresent()) {
			applyDigest(record.key(), digest.get());
			return;
		}
		Optional<String> queue = StatusHeaders.queue(record.headers());
		if (digest.isPresent() && queue.isPresent()) {
			// the JSON is parsed only if someone asks for this snapshot
			applyEntry(Entry.unparsed(record.key(), digest.get(), queue.get(), Instant.ofEpochMilli(record.timestamp()),
					record.offset(), record.value()));
			return;
		}
		ItemStatus status;
		try {
			status = this.json.readStatus(record.value());
		}
		catch (RuntimeException ex) {
			logger.warn("Skipping unreadable status record at " + record.topic() + "-" + record.partition() + "@"
					+ record.offset() + ": " + ex.getMessage());
			return;
		}
		if (this.digestsOnly) {
			applyDigest(status.id(), StatusDigest.of(status));
			return;
		}
		applyEntry(Entry.of(status, record.offset(), record.value()));
	}

	/**
	 * Applies a snapshot this process has just written, before it comes back from the
	 * log.
	 * @param json the snapshot as written
	 */
	public void applyLocal(ItemStatus status, byte[] json) {
		if (this.digestsOnly) {
			applyDigest(status.id(), StatusDigest.of(status));
		}
		else {
			apply(Entry.of(status, -1, json));
		}
	}

	private void applyDigest(String id, StatusDigest digest) {
		this.digests.merge(id, digest, (current, next) -> current.supersededBy(next) ? next : current);
	}

	private void applyEntry(Entry entry) {
		Entry late = apply(entry);
		if (late != null) {
			ItemStatus standing = parsed(late);
			if (standing != null) {
				this.onLateSnapshot.accept(standing);
			}
		}
	}

	/**
	 * @return the standing entry when {@code next} came late from the log after a final
	 * state and differs from it, else null
	 */
	private synchronized @Nullable Entry apply(Entry next) {
		Entry current = this.items.get(next.id());
		if (current == null || current.digest().supersededBy(next.digest())) {
			this.items.put(next.id(), next);
			tally(next.queue()).moved(next.id(), (current != null) ? current.digest().state() : null,
					next.digest().state(), next.updatedAt());
			return null;
		}
		if (next.offset() >= 0 && Arrays.equals(current.json(), next.json())) {
			// our own write (or a duplicate) read back: remember where the log has it
			this.items.put(next.id(), current.at(next.offset()));
			return null;
		}
		StatusDigest standing = current.digest();
		boolean lateAfterFinal = next.offset() > current.offset() && current.offset() >= 0
				&& standing.state().finished() && standing.state() != next.digest().state()
				&& standing.generation() >= next.digest().generation();
		return lateAfterFinal ? current : null;
	}

	private synchronized void remove(String id) {
		this.digests.remove(id);
		Entry removed = this.items.remove(id);
		if (removed != null) {
			tally(removed.queue()).moved(id, removed.digest().state(), null, this.clock.instant());
		}
	}

	private QueueTally tally(String queue) {
		return this.tallies.computeIfAbsent(queue, (name) -> new QueueTally());
	}

	/** What is known of the item's latest status, in either kind of view. */
	public Optional<StatusDigest> digest(String id) {
		if (this.digestsOnly) {
			return Optional.ofNullable(this.digests.get(id));
		}
		Entry entry = this.items.get(id);
		return (entry != null) ? Optional.of(entry.digest()) : Optional.empty();
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
		Entry entry = this.items.get(id);
		return (entry != null) ? Optional.ofNullable(parsed(entry)) : Optional.empty();
	}

	/** The entry's snapshot, or null (logged) if its JSON cannot be read. */
	private @Nullable ItemStatus parsed(Entry entry) {
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

	public synchronized QueueStats stats(String queue) {
		QueueTally tally = this.tallies.get(queue);
		if (tally == null) {
			return new QueueStats(queue, 0, 0,
					Map.of(ItemState.SUCCEEDED, 0L, ItemState.DEAD, 0L, ItemState.CANCELLED, 0L), 0.0);
		}
		return new QueueStats(queue, tally.count(ItemState.QUEUED) + tally.count(ItemState.RETRYING),
				tally.count(ItemState.RUNNING),
				Map.of(ItemState.SUCCEEDED, tally.count(ItemState.SUCCEEDED), ItemState.DEAD,
						tally.count(ItemState.DEAD), ItemState.CANCELLED, tally.count(ItemState.CANCELLED)),
				tally.finishedRate(this.clock.instant()));
	}

	/** The dead items of {@code queue}, oldest first, at most {@code limit}. */
	public List<ItemStatus> dead(String queue, int limit) {
		QueueTally tally;
		synchronized (this) {
			tally = this.tallies.get(queue);
		}
		if (tally == null) {
			return List.of();
		}
		return tally.deadIds()
			.stream()
			.map(this::get)
			.flatMap(Optional::stream)
			.filter((status) -> status.state() == ItemState.DEAD)
			.sorted(Comparator.comparing(ItemStatus::updatedAt))
			.limit(limit)
			.toList();
	}

	/** Items that reached a final state before {@code cutoff}: due to be forgotten. */
	public List<String> finishedBefore(Instant cutoff) {
		List<String> expired = new ArrayList<>();
		this.items.forEach((id, entry) -> {
			// a final snapshot is written when the item finished
			if (entry.digest().state().finished() && entry.updatedAt().isBefore(cutoff)) {
				expired.add(id);
			}
		});
		return expired;
	}

	public int size() {
		return this.digestsOnly ? this.digests.size() : this.items.size();
	}

	@Override
	public void close() throws InterruptedException {
		this.thread.close();
	}

	/**
	 * A snapshot, kept as its JSON and parsed the first time someone asks for it: a
	 * coordinator reads every status record but is asked about few. Its digest, queue and
	 * update time come from the record's headers and timestamp.
	 *
	 * @param offset where the status topic has it, -1 when applied locally
	 */
	private record Entry(String id, StatusDigest digest, String queue, Instant updatedAt, long offset, byte[] json,
			AtomicReference<@Nullable ItemStatus> parsed) {

		static Entry unparsed(String id, StatusDigest digest, String queue, Instant updatedAt, long offset,
				byte[] json) {
			return new Entry(id, digest, queue, updatedAt, offset, json, new AtomicReference<>());
		}

		static Entry of(ItemStatus status, long offset, byte[] json) {
			return new Entry(status.id(), StatusDigest.of(status), status.queue(), status.updatedAt(), offset, json,
					new AtomicReference<>(status));
		}

		Entry at(long logOffset) {
			return new Entry(this.id, this.digest, this.queue, this.updatedAt, logOffset, this.json, this.parsed);
		}

		ItemStatus status(ItemJson reader) {
			ItemStatus status = this.parsed.get();
			if (status == null) {
				status = reader.readStatus(this.json);
				this.parsed.set(status);
			}
			return status;
		}

	}

}
