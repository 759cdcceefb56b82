package dev.outrigger.work.status;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;

/**
 * One item's latest snapshot as the {@link StatusStore} keeps it: the facts the view
 * decides and counts on, and the snapshot's JSON, parsed only when someone asks for it.
 * An agent keeps the digest only (no queue, no JSON).
 *
 * @param id the item id
 * @param digest its generation and state
 * @param queue its queue, empty in an agent's store
 * @param updatedAt when the snapshot was written
 * @param offset where the status topic has it, -1 when applied locally
 * @param keyed whether it was submitted with an idempotency key
 * @param json the snapshot as written, empty in an agent's store
 */
record StoredStatus(String id, StatusDigest digest, String queue, Instant updatedAt, long offset, boolean keyed,
		byte[] json) {

	private static final byte FORMAT = 1;

	private static final ItemState[] STATES = ItemState.values();

	static StoredStatus of(ItemStatus status, long offset, byte[] json) {
		return new StoredStatus(status.id(), StatusDigest.of(status), status.queue(), status.updatedAt(), offset,
				status.idempotencyKey() != null, json);
	}

	static StoredStatus digestOnly(String id, StatusDigest digest) {
		return new StoredStatus(id, digest, "", Instant.EPOCH, -1, false, new byte[0]);
	}

	StoredStatus at(long logOffset) {
		return new StoredStatus(this.id, this.digest, this.queue, this.updatedAt, logOffset, this.keyed, this.json);
	}

	boolean finished() {
		return this.digest.state().finished();
	}

	ItemStatus status(ItemJson reader) {
		return reader.readStatus(this.json);
	}

	byte[] encode() {
		byte[] queueBytes = this.queue.getBytes(StandardCharsets.UTF_8);
		ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + 1 + 8 + 8 + 1 + 2 + queueBytes.length + this.json.length);
		buffer.put(FORMAT)
			.putInt(this.digest.generation())
			.put((byte) this.digest.state().ordinal())
			.putLong(this.updatedAt.toEpochMilli())
			.putLong(this.offset)
			.put((byte) (this.keyed ? 1 : 0))
			.putShort((short) queueBytes.length)
			.put(queueBytes)
			.put(this.json);
		return buffer.array();
	}

	static StoredStatus decode(String id, byte[] bytes) {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		byte format = buffer.get();
		if (format != FORMAT) {
			throw new IllegalStateException("status store entry of item " + id + " has unknown format " + format);
		}
		StatusDigest digest = new StatusDigest(buffer.getInt(), STATES[buffer.get()]);
		Instant updatedAt = Instant.ofEpochMilli(buffer.getLong());
		long offset = buffer.getLong();
		boolean keyed = buffer.get() == 1;
		byte[] queueBytes = new byte[buffer.getShort()];
		buffer.get(queueBytes);
		byte[] json = new byte[buffer.remaining()];
		buffer.get(json);
		return new StoredStatus(id, digest, new String(queueBytes, StandardCharsets.UTF_8), updatedAt, offset, keyed,
				json);
	}

}
