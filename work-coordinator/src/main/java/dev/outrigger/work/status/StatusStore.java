package dev.outrigger.work.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import dev.outrigger.work.item.ItemState;
import org.jspecify.annotations.Nullable;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The status view's contents on local disk, in RocksDB, so that the heap does not grow
 * with the items kept: each item's latest {@link StoredStatus}, the status topic's
 * positions they reflect, items per queue and state, and indexes by time: of each queue's
 * items, of each queue's items in each state, and of finished items.
 * <p>
 * Written in {@link Changes batches} without RocksDB's write-ahead log, as Kafka Streams
 * writes its state stores: each batch carries the positions it reached, so what survives
 * a crash is a consistent prefix of the log, and reading resumes from its positions.
 * Every key lives in one column family ({@link StoreKeys}), so a flush never splits a
 * batch.
 */
final class StatusStore implements AutoCloseable {

	private static final byte[] EMPTY = new byte[0];

	private static final ItemState[] STATES = ItemState.values();

	/**
	 * Four shards: a small cache cut finer has shards too small to keep a larger block.
	 */
	private static final int CACHE_SHARD_BITS = 2;

	/** The part of the cache kept for index and filter blocks before data blocks. */
	private static final double HIGH_PRIORITY_SHARE = 0.5;

	private static final long METADATA_BLOCK_BYTES = 4096;

	static {
		RocksDB.loadLibrary();
	}

	private final Path dir;

	/** A directory of our own, made at start because none was given: removed at close. */
	private final boolean temporary;

	private final LRUCache cache;

	private final BloomFilter filter = new BloomFilter(10);

	private final Options options;

	private final WriteOptions writes = new WriteOptions().setDisableWAL(true);

	private RocksDB db;

	/**
	 * Held to use {@link #db}, exclusively to replace or close it: a closed handle must
	 * never be touched.
	 */
	private final ReadWriteLock handle = new ReentrantReadWriteLock();

	private boolean closed;

	private final Map<String, long[]> counts = new ConcurrentHashMap<>();

	/**
	 * @param dir where the store lives, or null for a new temporary directory
	 * @param memoryBytes the block cache, and the size of each of the two memtables
	 */
	StatusStore(@Nullable Path dir, long memoryBytes) {
		this.temporary = dir == null;
		this.dir = (dir != null) ? dir : temporaryDirectory();
		this.cache = new LRUCache(memoryBytes, CACHE_SHARD_BITS, false, HIGH_PRIORITY_SHARE);
		this.options = new Options().setCreateIfMissing(true)
			.setWriteBufferSize(memoryBytes)
			.setMaxWriteBufferNumber(2)
			.setCompressionType(CompressionType.LZ4_COMPRESSION)
			.setKeepLogFileNum(2)
			.setTableFormatConfig(tables());
		this.db = open();
		loadCounts();
	}

	/**
	 * Index and filter blocks count against the block cache, so memory stays bounded as
	 * the store grows; they are cut in partitions of a few kB. A whole file's filter is
	 * larger than a cache shard soon after the first compaction: the cache would not keep
	 * it, and every read would load and checksum it from disk again (measured: two thirds
	 * of the status view's CPU).
	 */
	private BlockBasedTableConfig tables() {
		return new BlockBasedTableConfig().setBlockCache(this.cache)
			.setFilterPolicy(this.filter)
			.setCacheIndexAndFilterBlocks(true)
			.setCacheIndexAndFilterBlocksWithHighPriority(true)
			.setPinTopLevelIndexAndFilter(true)
			.setIndexType(IndexType.kTwoLevelIndexSearch)
			.setPartitionFilters(true)
			.setMetadataBlockSize(METADATA_BLOCK_BYTES);
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("outrigger-work-status-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create a temporary directory for the status store", ex);
		}
	}

	private RocksDB open() {
		try {
			Files.createDirectories(this.dir);
			return RocksDB.open(this.options, this.dir.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create the status store's directory " + this.dir, ex);
		}
		catch (RocksDBException ex) {
			throw new StatusStoreException("cannot open the status store in " + this.dir + ": " + ex.getMessage()
					+ (ex.getMessage().contains("lock") ? " (is another process using it?)" : ""), ex);
		}
	}

	Path dir() {
		return this.dir;
	}

	/**
	 * Empties the store unless it was built by this version from the topic {@code topic}
	 * names: a store left by another cluster, a re-created topic or an older layout is
	 * rebuilt, not trusted.
	 * @return whether the store was kept
	 */
	boolean keepIfBuiltFrom(String topic) {
		String identity = StoreKeys.LAYOUT + " " + topic;
		byte[] stored = read(StoreKeys.IDENTITY);
		if (stored != null && identity.equals(new String(stored, StandardCharsets.UTF_8))) {
			return true;
		}
		clear();
		write((batch) -> batch.put(StoreKeys.IDENTITY, identity.getBytes(StandardCharsets.UTF_8)));
		return false;
	}

	/** Removes everything, for a store that no longer matches its topic. */
	void clear() {
		exclusively(() -> {
			this.db.close();
			try (Options destroy = new Options()) {
				RocksDB.destroyDB(this.dir.toString(), destroy);
				this.db = open();
			}
			catch (RocksDBException | RuntimeException ex) {
				// the closed handle must never be used again: the store stays unavailable
				this.closed = true;
				throw new StatusStoreException("cannot empty the status store in " + this.dir + ": " + ex.getMessage(),
						ex);
			}
			this.counts.clear();
		});
	}

	/** Where reading each partition of the status topic carries on. */
	Map<Integer, Long> positions() {
		Map<Integer, Long> positions = new HashMap<>();
		scan(StoreKeys.POSITIONS,
				(key, value) -> positions.put(StoreKeys.partitionOf(key), ByteBuffer.wrap(value).getLong()));
		return positions;
	}

	Optional<StoredStatus> get(String id) {
		byte[] value = read(StoreKeys.item(id));
		return (value != null) ? Optional.of(StoredStatus.decode(id, value)) : Optional.empty();
	}

	/** Items of {@code queue} per state, as far as the store has read. */
	Map<ItemState, Long> counts(String queue) {
		long[] perState = this.counts.get(queue);
		Map<ItemState, Long> counts = new EnumMap<>(ItemState.class);
		for (ItemState state : STATES) {
			counts.put(state, (perState != null) ? perState[state.ordinal()] : 0L);
		}
		return counts;
	}

	/** RocksDB's estimate of the keys it holds, most of them items. */
	long estimatedItems() {
		return using(() -> {
			try {
				return this.db.getLongProperty("rocksdb.estimate-num-keys");
			}
			catch (RocksDBException ex) {
				throw new StatusStoreException("cannot read the status store: " + ex.getMessage(), ex);
			}
		});
	}

	/**
	 * Up to {@code limit} ids of {@code queue}'s items in {@code state}, oldest first.
	 */
	List<String> oldestIds(String queue, ItemState state, int limit) {
		return ids(StoreKeys.statePrefix(queue, state), null, limit);
	}

	/**
	 * A page of {@code queue}'s items (in {@code state}, or in any), newest first.
	 * @param before where the previous page ended, or null for the first page
	 */
	IdPage newestIds(String queue, @Nullable ItemState state, byte @Nullable [] before, int limit) {
		byte[] prefix = (state != null) ? StoreKeys.statePrefix(queue, state) : StoreKeys.queuePrefix(queue);
		List<String> ids = new ArrayList<>();
		byte[][] last = new byte[1][];
		boolean more = using(() -> {
			try (ReadOptions read = new ReadOptions(); Slice lower = new Slice(prefix)) {
				read.setIterateLowerBound(lower);
				try (RocksIterator entries = this.db.newIterator(read)) {
					byte[] from = (before != null) ? StoreKeys.concat(prefix, before) : StoreKeys.successor(prefix);
					entries.seekForPrev(from);
					if (entries.isValid() && Arrays.equals(entries.key(), from)) {
						entries.prev();
					}
					for (; entries.isValid() && ids.size() < limit; entries.prev()) {
						last[0] = entries.key();
						ids.add(StoreKeys.indexedId(prefix.length, last[0]));
					}
					requireIntact(entries);
					return entries.isValid();
				}
			}
		});
		byte[] next = more ? Arrays.copyOfRange(last[0], prefix.length, last[0].length) : null;
		return new IdPage(ids, next);
	}

	/**
	 * Ids of a page of items.
	 *
	 * @param next where the next page starts, null on the last page
	 */
	record IdPage(List<String> ids, byte @Nullable [] next) {

	}

	/**
	 * Up to {@code limit} ids of items that finished before {@code cutoff}, oldest first:
	 * those submitted with an idempotency key when {@code keyed}, the others when not.
	 */
	List<String> finishedBefore(boolean keyed, Instant cutoff, int limit) {
		return ids(StoreKeys.finishedPrefix(keyed), StoreKeys.finishedBefore(keyed, cutoff), limit);
	}

	/**
	 * Ids of the index entries under {@code prefix} (up to {@code end}): their last 36
	 * bytes.
	 */
	private List<String> ids(byte[] prefix, byte @Nullable [] end, int limit) {
		List<String> ids = new ArrayList<>();
		scan(prefix, (end != null) ? end : StoreKeys.successor(prefix), limit,
				(key, value) -> ids.add(StoreKeys.indexedId(prefix.length, key)));
		return ids;
	}

	Changes changes() {
		return new Changes();
	}

	/**
	 * Writes what is in memory to disk, so a restart reads the log from there on, and
	 * closes; any later use fails as unavailable.
	 */
	@Override
	public void close() {
		exclusively(() -> {
			try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
				this.db.flush(flush);
			}
			catch (RocksDBException ex) {
				// what was not flushed is read from the log again at the next start
			}
			finally {
				this.closed = true;
				this.db.close();
				this.writes.close();
				this.options.close();
				this.cache.close();
				this.filter.close();
				if (this.temporary) {
					deleteTemporaryDirectory();
				}
			}
		});
	}

	private void deleteTemporaryDirectory() {
		try (Options destroy = new Options()) {
			RocksDB.destroyDB(this.dir.toString(), destroy);
			Files.deleteIfExists(this.dir);
		}
		catch (RocksDBException | IOException ex) {
			// a temporary directory left behind does no harm
		}
	}

	/** Queues the store has counted items of. */
	List<String> queues() {
		return this.counts.keySet().stream().sorted().toList();
	}

	private <T> T using(Supplier<T> use) {
		Lock shared = this.handle.readLock();
		shared.lock();
		try {
			if (this.closed) {
				throw new StatusStoreException("the status store in " + this.dir + " is closed", null);
			}
			return use.get();
		}
		finally {
			shared.unlock();
		}
	}

	private void exclusively(Runnable change) {
		Lock exclusive = this.handle.writeLock();
		exclusive.lock();
		try {
			if (!this.closed) {
				change.run();
			}
		}
		finally {
			exclusive.unlock();
		}
	}

	private void loadCounts() {
		scan(StoreKeys.COUNTS, (key, value) -> {
			ByteBuffer buffer = ByteBuffer.wrap(value);
			long[] perState = new long[STATES.length];
			for (int i = 0; i < perState.length && buffer.remaining() >= 8; i++) {
				perState[i] = buffer.getLong();
			}
			this.counts.put(StoreKeys.queueOf(key), perState);
		});
	}

	private void scan(byte[] prefix, BiConsumer<byte[], byte[]> each) {
		scan(prefix, StoreKeys.successor(prefix), Integer.MAX_VALUE, each);
	}

	/**
	 * Up to {@code limit} entries from {@code from} (inclusive) to {@code to}
	 * (exclusive).
	 */
	private void scan(byte[] from, byte[] to, int limit, BiConsumer<byte[], byte[]> each) {
		using(() -> {
			try (ReadOptions read = new ReadOptions(); Slice upper = new Slice(to)) {
				read.setIterateUpperBound(upper);
				try (RocksIterator entries = this.db.newIterator(read)) {
					int seen = 0;
					for (entries.seek(from); entries.isValid() && seen < limit; entries.next(), seen++) {
						each.accept(entries.key(), entries.value());
					}
					requireIntact(entries);
				}
			}
			return null;
		});
	}

	/** An iterator stops at an I/O error or corruption as at an end: tell them apart. */
	private static void requireIntact(RocksIterator entries) {
		try {
			entries.status();
		}
		catch (RocksDBException ex) {
			throw new StatusStoreException("cannot read the status store: " + ex.getMessage(), ex);
		}
	}

	private byte @Nullable [] read(byte[] key) {
		return using(() -> {
			try {
				return this.db.get(key);
			}
			catch (RocksDBException ex) {
				throw new StatusStoreException("cannot read the status store: " + ex.getMessage(), ex);
			}
		});
	}

	private void write(RocksWrite write) {
		using(() -> {
			try (WriteBatch batch = new WriteBatch()) {
				write.to(batch);
				this.db.write(this.writes, batch);
				return null;
			}
			catch (RocksDBException ex) {
				throw new StatusStoreException("cannot write the status store: " + ex.getMessage(), ex);
			}
		});
	}

	@FunctionalInterface
	private interface RocksWrite {

		void to(WriteBatch batch) throws RocksDBException;

	}

	/**
	 * Changes to commit together: items replaced or removed, with their counts and index
	 * entries, and the positions reached. Reads see this batch's own changes first. Not
	 * thread-safe: one writer at a time.
	 */
	final class Changes {

		private final Map<String, Optional<StoredStatus>> pending = new HashMap<>();

		private final Map<String, long[]> countDeltas = new HashMap<>();

		private final Map<Integer, Long> positions = new HashMap<>();

		private final List<RocksWrite> writes = new ArrayList<>();

		Optional<StoredStatus> current(String id) {
			Optional<StoredStatus> changed = this.pending.get(id);
			return (changed != null) ? changed : get(id);
		}

		/** Replaces {@code old} (null when the item is new) by {@code next}. */
		void put(@Nullable StoredStatus old, StoredStatus next) {
			if (old != null) {
				unindex(old);
			}
			rewrite(next);
			index(next);
		}

		/**
		 * Writes {@code entry} over one whose indexed facts (queue, state, time, keyed)
		 * are the same, such as the same snapshot at its log offset: its counts and index
		 * entries stand.
		 */
		void rewrite(StoredStatus entry) {
			this.pending.put(entry.id(), Optional.of(entry));
			byte[] value = entry.encode();
			this.writes.add((batch) -> batch.put(StoreKeys.item(entry.id()), value));
		}

		void remove(StoredStatus old) {
			unindex(old);
			this.pending.put(old.id(), Optional.empty());
			this.writes.add((batch) -> batch.delete(StoreKeys.item(old.id())));
		}

		void position(int partition, long next) {
			this.positions.put(partition, next);
		}

		private void index(StoredStatus status) {
			if (status.queue().isEmpty()) {
				return;
			}
			count(status.queue(), status.digest().state(), 1);
			for (byte[] key : StoreKeys.indexesOf(status)) {
				this.writes.add((batch) -> batch.put(key, EMPTY));
			}
		}

		private void unindex(StoredStatus status) {
			if (status.queue().isEmpty()) {
				return;
			}
			count(status.queue(), status.digest().state(), -1);
			for (byte[] key : StoreKeys.indexesOf(status)) {
				this.writes.add((batch) -> batch.delete(key));
			}
		}

		private void count(String queue, ItemState state, long delta) {
			this.countDeltas.computeIfAbsent(queue, (name) -> new long[STATES.length])[state.ordinal()] += delta;
		}

		/** Writes the batch, then shows its counts. */
		void commit() {
			if (this.writes.isEmpty() && this.positions.isEmpty()) {
				return;
			}
			Map<String, long[]> updated = new HashMap<>();
			this.countDeltas.forEach((queue, delta) -> {
				long[] perState = StatusStore.this.counts.getOrDefault(queue, new long[STATES.length]).clone();
				for (int i = 0; i < perState.length; i++) {
					perState[i] += delta[i];
				}
				updated.put(queue, perState);
			});
			write((batch) -> {
				for (RocksWrite change : this.writes) {
					change.to(batch);
				}
				for (Map.Entry<String, long[]> queue : updated.entrySet()) {
					ByteBuffer value = ByteBuffer.allocate(8 * STATES.length);
					Arrays.stream(queue.getValue()).forEach(value::putLong);
					batch.put(StoreKeys.counts(queue.getKey()), value.array());
				}
				for (Map.Entry<Integer, Long> position : this.positions.entrySet()) {
					batch.put(StoreKeys.position(position.getKey()),
							ByteBuffer.allocate(8).putLong(position.getValue()).array());
				}
			});
			StatusStore.this.counts.putAll(updated);
		}

	}

}
