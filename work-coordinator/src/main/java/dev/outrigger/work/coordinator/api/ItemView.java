package dev.outrigger.work.coordinator.api;

import java.net.URI;
import java.time.Instant;

import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;
import org.jspecify.annotations.Nullable;

/**
 * An item's status as the API shows it.
 *
 * @param id the item id
 * @param queue its queue
 * @param state where it is
 * @param attempts worker calls made (since the latest re-drive)
 * @param maxAttempts worker calls allowed
 * @param redrives times it was re-driven from the dead list
 * @param submittedAt when it was accepted
 * @param updatedAt when its status last changed
 * @param startedAt when the latest attempt started
 * @param finishedAt when it reached a final state
 * @param lastError why the latest attempt failed
 * @param result where the result is, once SUCCEEDED with one
 * @param agent the agent that last reported on it
 * @param callbackUrl where the final status is POSTed
 * @param idempotencyKey the submitter's idempotency key, if it gave one
 */
public record ItemView(String id, String queue, ItemState state, int attempts, int maxAttempts, int redrives,
		Instant submittedAt, Instant updatedAt, @Nullable Instant startedAt, @Nullable Instant finishedAt,
		@Nullable String lastError, @Nullable String result, @Nullable String agent, @Nullable URI callbackUrl,
		@Nullable String idempotencyKey) {

	public static ItemView of(ItemStatus status) {
		String result = (status.result() != null) ? "/items/" + status.id() + "/result" : null;
		return new ItemView(status.id(), status.queue(), status.state(), status.attempts(), status.maxAttempts(),
				status.generation(), status.submittedAt(), status.updatedAt(), status.startedAt(), status.finishedAt(),
				status.lastError(), result, status.agent(), status.callbackUrl(), status.idempotencyKey());
	}

}
