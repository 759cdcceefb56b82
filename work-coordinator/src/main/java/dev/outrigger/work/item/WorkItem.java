package dev.outrigger.work.item;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One item as it travels on a queue topic: everything an agent needs to run it without
 * asking anyone.
 *
 * @param id the item id, also its status key and the worker's idempotency key
 * @param queue the queue it was submitted to
 * @param payload the JSON the worker receives
 * @param key the submitter's partitioning key, if any
 * @param maxAttempts worker calls before the item is dead
 * @param timeoutMillis the time one worker call may take
 * @param callbackUrl where the final status is POSTed, if anywhere
 * @param submittedAt when the coordinator accepted it
 * @param generation 0 when submitted; each re-drive from the dead list adds one, so
 * deliveries of an older generation are recognised as stale
 * @param idempotencyKey the submitter's idempotency key, if it gave one: the item id is
 * derived from it, and it is remembered for at least the idempotency window
 */
public record WorkItem(String id, String queue, JsonNode payload, @Nullable String key, int maxAttempts,
		long timeoutMillis, @Nullable URI callbackUrl, Instant submittedAt, int generation,
		@Nullable String idempotencyKey) {

	public Duration timeout() {
		return Duration.ofMillis(this.timeoutMillis);
	}

	public WorkItem nextGeneration() {
		return new WorkItem(this.id, this.queue, this.payload, this.key, this.maxAttempts, this.timeoutMillis,
				this.callbackUrl, this.submittedAt, this.generation + 1, this.idempotencyKey);
	}

}
