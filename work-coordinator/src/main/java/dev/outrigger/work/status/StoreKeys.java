package dev.outrigger.work.status;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.outrigger.work.item.ItemState;

/**
 * The {@link StatusStore}'s key layout. Every key starts with one byte that says what it
 * is; index keys then sort by time (big-endian epoch milliseconds) and end with the item
 * id, so a range scan walks them oldest first (or, backwards, newest first).
 * <ul>
 * <li>{@code m identity} → the layout and topic the store was built from</li>
 * <li>{@code p <partition>} → the status topic position reached</li>
 * <li>{@code c <queue>} → items per state</li>
 * <li>{@code i <id>} → the item's {@link StoredStatus}</li>
 * <li>{@code q <queue> 0 <time> <id>}: a queue's items</li>
 * <li>{@code s <queue> 0 <state> <time> <id>}: a queue's items in one state</li>
 * <li>{@code f <keyed> <time> <id>}: finished items, apart by idempotency key</li>
 * </ul>
 * Queue names are letters, digits, '_' and '-': a zero byte ends one.
 */
final class StoreKeys {

	/**
	 * Changes when the layout or {@link StoredStatus}'s format does: a store made by
	 * another is rebuilt.
	 */
	static final String LAYOUT = "outrigger-work-status/1";

	static final byte[] IDENTITY = key((byte) 'm', "identity");

	static final byte[] POSITIONS = { 'p' };

	static final byte[] COUNTS = { 'c' };

	private static final byte ITEM = 'i';

	private static final byte QUEUE_INDEX = 'q';

	private static final byte STATE_INDEX = 's';

	private static final byte FINISHED = 'f';

	private StoreKeys() {
	}

	static byte[] item(String id) {
		return key(ITEM, id);
	}

	static byte[] position(int partition) {
		return ByteBuffer.allocate(5).put(POSITIONS[0]).putInt(partition).array();
	}

	static int partitionOf(byte[] positionKey) {
		return ByteBuffer.wrap(positionKey, 1, 4).getInt();
	}

	static byte[] counts(String queue) {
		return key(COUNTS[0], queue);
	}

	static String queueOf(byte[] countsKey) {
		return new String(countsKey, 1, countsKey.length - 1, StandardCharsets.UTF_8);
	}

	static byte[] queuePrefix(String queue) {
		byte[] name = queue.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(name.length + 2).put(QUEUE_INDEX).put(name).put((byte) 0).array();
	}

	static byte[] statePrefix(String queue, ItemState state) {
		byte[] name = queue.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(name.length + 3)
			.put(STATE_INDEX)
			.put(name)
			.put((byte) 0)
			.put((byte) state.ordinal())
			.array();
	}

	static byte[] finishedPrefix(boolean keyed) {
		return new byte[] { FINISHED, (byte) (keyed ? 1 : 0) };
	}

	/** The first key after those of items that finished before {@code cutoff}. */
	static byte[] finishedBefore(boolean keyed, Instant cutoff) {
		return ByteBuffer.allocate(10).put(finishedPrefix(keyed)).putLong(cutoff.toEpochMilli()).array();
	}

	/** The keys that index {@code status}. */
	static List<byte[]> indexesOf(StoredStatus status) {
		List<byte[]> keys = new ArrayList<>(3);
		keys.add(indexKey(queuePrefix(status.queue()), status.updatedAt(), status.id()));
		keys.add(indexKey(statePrefix(status.queue(), status.digest().state()), status.updatedAt(), status.id()));
		if (status.finished()) {
			keys.add(indexKey(finishedPrefix(status.keyed()), status.updatedAt(), status.id()));
		}
		return keys;
	}

	/** The id at the end of an index key. */
	static String indexedId(int prefixLength, byte[] key) {
		int start = prefixLength + 8;
		return new String(key, start, key.length - start, StandardCharsets.UTF_8);
	}

	/** The first key after every key that starts with {@code prefix}. */
	static byte[] successor(byte[] prefix) {
		byte[] next = Arrays.copyOf(prefix, prefix.length);
		next[next.length - 1]++;
		return next;
	}

	static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	private static byte[] indexKey(byte[] prefix, Instant at, String id) {
		byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(prefix.length + 8 + idBytes.length)
			.put(prefix)
			.putLong(at.toEpochMilli())
			.put(idBytes)
			.array();
	}

	private static byte[] key(byte kind, String name) {
		byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(1 + bytes.length).put(kind).put(bytes).array();
	}

}
