package dev.outrigger.work.agent;

import java.util.concurrent.CompletableFuture;

import dev.outrigger.work.status.KafkaWrites;

/**
 * One worker call's verdict and the status write it rests on. The worker is through with
 * the item once an attempt exists, so an engine may give its turn to the next item while
 * Kafka confirms the write — but it acts on the verdict (acknowledges, dead-letters,
 * retries) only through {@link #confirmed()}, so an acknowledged item never lacks its
 * outcome in the status topic.
 *
 * @param verdict what the engine must do with the delivery
 * @param recorded completes when Kafka has the status the verdict rests on
 */
public record Attempt(Verdict verdict, CompletableFuture<?> recorded) {

	/** An attempt that rests on no write, or on one already confirmed. */
	public static Attempt settled(Verdict verdict) {
		return new Attempt(verdict, CompletableFuture.completedFuture(null));
	}

	/**
	 * Waits until Kafka has the status.
	 * @throws dev.outrigger.work.status.StatusUnavailableException if it does not take
	 * it; the delivery must be handed back so it runs again
	 */
	public Verdict confirmed() {
		KafkaWrites.confirm(this.recorded);
		return this.verdict;
	}

}
