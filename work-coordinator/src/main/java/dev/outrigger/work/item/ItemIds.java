package dev.outrigger.work.item;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Item ids. With an idempotency key the id is derived from the queue and the key, so
 * every coordinator replica gives the same submission the same id.
 */
public final class ItemIds {

	private ItemIds() {
	}

	public static String random() {
		return UUID.randomUUID().toString();
	}

	public static String forIdempotencyKey(String queue, String idempotencyKey) {
		return UUID.nameUUIDFromBytes((queue + '\n' + idempotencyKey).getBytes(StandardCharsets.UTF_8)).toString();
	}

	/**
	 * The id of a record on a queue topic that is not an item at all, so it can still be
	 * listed.
	 */
	public static String forUnreadableRecord(String topic, int partition, long offset) {
		return UUID.nameUUIDFromBytes((topic + '\n' + partition + '\n' + offset).getBytes(StandardCharsets.UTF_8))
			.toString();
	}

}
