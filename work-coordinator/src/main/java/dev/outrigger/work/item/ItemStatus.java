package dev.outrigger.work.item;

import java.net.URI;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A full snapshot of an item's status, as written to the compacted status topic keyed by
 * item id: the latest snapshot alone must answer for the item once older ones are
 * compacted away.
 *
 * @param id the item id
 * @param queue its queue
 * @param state where it is
 * @param generation see {@link WorkItem#generation()}
 * @param attempts worker calls made in this generation
 * @param maxAttempts worker calls allowed
 * @param submittedAt when it was accepted
 * @param updatedAt when this snapshot was written
 * @param startedAt when the latest attempt started
 * @param finishedAt when it reached a final state
 * @param lastError why the latest attempt failed
 * @param result the worker's response body, when SUCCEEDED
 * @param resultType the content type of {@code result}
 * @param callbackUrl where the final status is POSTed
 * @param submission a nonce of the submission that queued this generation: with an
 * idempotency key, the first submission in the log wins and later ones queue nothing
 * @param agent the agent that wrote this snapshot
 * @param item the item itself, kept while DEAD so it can be re-driven
 * @param idempotencyKey the submitter's idempotency key, if it gave one
 */
public record ItemStatus(String id, String queue, ItemState state, int generation, int attempts, int maxAttempts,
		Instant submittedAt, Instant updatedAt, @Nullable Instant startedAt, @Nullable Instant finishedAt,
		@Nullable String lastError, @Nullable String result, @Nullable String resultType, @Nullable URI callbackUrl,
		@Nullable String submission, @Nullable String agent, @Nullable WorkItem item, @Nullable String idempotencyKey) {

	/** The first snapshot of a generation, written before the item is queued. */
	public static ItemStatus queued(WorkItem item, String submission, Instant now) {
		return new ItemStatus(item.id(), item.queue(), ItemState.QUEUED, item.generation(), 0, item.maxAttempts(),
				item.submittedAt(), now, null, null, null, null, null, item.callbackUrl(), submission, null, null,
				item.idempotencyKey());
	}

	/** What an agent writes for {@code item} when an attempt starts or ends. */
	public static ItemStatus of(WorkItem item, ItemState state, int attempts, Instant startedAt, Instant now,
			@Nullable String lastError, @Nullable String agent) {
		return new ItemStatus(item.id(), item.queue(), state, item.generation(), attempts, item.maxAttempts(),
				item.submittedAt(), now, startedAt, state.finished() ? now : null, lastError, null, null,
				item.callbackUrl(), null, agent, (state == ItemState.DEAD) ? item : null, item.idempotencyKey());
	}

	public ItemStatus withResult(String result, @Nullable String resultType) {
		return new ItemStatus(this.id, this.queue, this.state, this.generation, this.attempts, this.maxAttempts,
				this.submittedAt, this.updatedAt, this.startedAt, this.finishedAt, this.lastError, result, resultType,
				this.callbackUrl, this.submission, this.agent, this.item, this.idempotencyKey);
	}

	/** This status moved to CANCELLED at {@code now}. */
	public ItemStatus cancelled(Instant now) {
		return new ItemStatus(this.id, this.queue, ItemState.CANCELLED, this.generation, this.attempts,
				this.maxAttempts, this.submittedAt, now, this.startedAt, now, this.lastError, null, null,
				this.callbackUrl, this.submission, null, null, this.idempotencyKey);
	}

	/**
	 * Whether {@code next} may replace this snapshot. Snapshots can arrive late or twice
	 * (agents run items at least once, replicas race on idempotency keys), so: a newer
	 * generation always wins, an older one never; within a generation the first QUEUED
	 * wins and a final state is never left.
	 */
	public boolean supersededBy(ItemStatus next) {
		return supersedes(this.generation, this.state, next.generation, next.state);
	}

	/** {@link #supersededBy}, on the only two facts it depends on. */
	public static boolean supersedes(int generation, ItemState state, int nextGeneration, ItemState nextState) {
		if (nextGeneration != generation) {
			return nextGeneration > generation;
		}
		return nextState != ItemState.QUEUED && !state.finished();
	}

}
