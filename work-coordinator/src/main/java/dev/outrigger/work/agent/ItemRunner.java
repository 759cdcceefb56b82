package dev.outrigger.work.agent;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import dev.outrigger.work.WorkProperties;
import dev.outrigger.work.item.ItemIds;
import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;
import dev.outrigger.work.item.WorkItem;
import dev.outrigger.work.status.KafkaWrites;
import dev.outrigger.work.status.StatusPublisher;
import dev.outrigger.work.status.StatusUnavailableException;
import dev.outrigger.work.status.StatusView;
import org.jspecify.annotations.Nullable;

/**
 * Runs one delivery of an item, whatever engine delivered it: skips items that are
 * cancelled or already settled, calls the worker (reported RUNNING if it takes a while,
 * see {@link RunningReports}), records the outcome in the status topic, and tells the
 * engine what to do with the delivery. The status of a settled item is written before the
 * engine acknowledges the delivery, and the engine acts only on a confirmed
 * {@link Attempt}, so an acknowledged item never lacks its outcome.
 */
public final class ItemRunner {

	private final WorkerClient worker;

	private final StatusView view;

	private final StatusPublisher publisher;

	private final RunningReports runningReports;

	private final WorkProperties.Backoff backoff;

	private final int maxResultChars;

	private final String agent;

	private final Clock clock;

	private final AgentMetrics metrics;

	public ItemRunner(WorkerClient worker, StatusView view, StatusPublisher publisher, RunningReports runningReports,
			WorkProperties.Backoff backoff, int maxResultChars, String agent, Clock clock, AgentMetrics metrics) {
		this.worker = worker;
		this.view = view;
		this.publisher = publisher;
		this.runningReports = runningReports;
		this.backoff = backoff;
		this.maxResultChars = maxResultChars;
		this.agent = agent;
		this.clock = clock;
		this.metrics = metrics;
	}

	/**
	 * Runs {@code item} and returns as soon as the worker has answered and the outcome is
	 * on its way to Kafka: the caller may give its turn to the next item, then must act
	 * on {@link Attempt#confirmed()}.
	 * @throws InterruptedException if the agent is stopping; the delivery must be handed
	 * back
	 */
	public Attempt attempt(WorkItem item, int attempt) throws InterruptedException {
		if (settled(item)) {
			this.metrics.skipped(item.queue());
			return Attempt.settled(new Verdict.Done());
		}
		Instant started = this.clock.instant();
		long begin = System.nanoTime();
		WorkerOutcome outcome;
		try (RunningReports.Report running = this.runningReports
			.started(ItemStatus.of(item, ItemState.RUNNING, attempt, started, started, null, this.agent))) {
			outcome = this.worker.call(item, attempt, started);
		}
		this.metrics.called(item.queue(), outcome, System.nanoTime() - begin);
		return switch (outcome) {
			case WorkerOutcome.Succeeded succeeded -> succeeded(item, attempt, started, succeeded);
			case WorkerOutcome.Fatal fatal -> dead(item, attempt, started, fatal.error());
			case WorkerOutcome.Retryable retryable -> (attempt >= item.maxAttempts())
					? dead(item, attempt, started, "gave up after " + attempt + " attempts: " + retryable.error())
					: retry(item, attempt, started, retryable.error());
		};
	}

	/**
	 * A record on a queue topic that is not an item: dead on its first delivery, and
	 * listed.
	 */
	public Verdict unreadable(String queue, String topic, int partition, long offset, String reason) {
		Instant now = this.clock.instant();
		String id = ItemIds.forUnreadableRecord(topic, partition, offset);
		String error = reason + " (record " + topic + "-" + partition + "@" + offset + ")";
		ItemStatus dead = new ItemStatus(id, queue, ItemState.DEAD, 0, 1, 1, now, now, now, now, error, null, null,
				null, null, this.agent, null, null);
		KafkaWrites.confirm(this.publisher.publish(dead));
		this.metrics.finished(queue, ItemState.DEAD);
		return new Verdict.DeadLetter(error);
	}

	/**
	 * Whether there is nothing left to do for this delivery: cancelled, settled or
	 * superseded.
	 */
	private boolean settled(WorkItem item) {
		return this.view.settles(item.id(), item.generation());
	}

	private Attempt succeeded(WorkItem item, int attempt, Instant started, WorkerOutcome.Succeeded outcome) {
		if (settled(item)) {
			// cancelled (or finished by a duplicate delivery) while the worker ran: keep
			// that outcome
			this.metrics.skipped(item.queue());
			return Attempt.settled(new Verdict.Done());
		}
		String notKept = tooLarge(outcome.body());
		ItemStatus status = ItemStatus.of(item, ItemState.SUCCEEDED, attempt, started, this.clock.instant(), notKept,
				this.agent);
		if (notKept == null) {
			status = status.withResult(outcome.body(), outcome.contentType());
		}
		CompletableFuture<ItemStatus> recorded = this.publisher.publish(status);
		recorded.thenRun(() -> this.metrics.finished(item.queue(), ItemState.SUCCEEDED));
		return new Attempt(new Verdict.Done(), recorded);
	}

	private @Nullable String tooLarge(String result) {
		return (result.length() > this.maxResultChars) ? "the result (" + result.length()
				+ " characters) was not kept: it is larger than OUTRIGGER_WORK_MAX_ITEM_BYTES" : null;
	}

	private Attempt dead(WorkItem item, int attempt, Instant started, String error) {
		CompletableFuture<ItemStatus> recorded = this.publisher
			.publish(ItemStatus.of(item, ItemState.DEAD, attempt, started, this.clock.instant(), error, this.agent));
		recorded.thenRun(() -> this.metrics.finished(item.queue(), ItemState.DEAD));
		return new Attempt(new Verdict.DeadLetter(error), recorded);
	}

	/**
	 * RETRYING is informative: the delivery goes back to Kafka whether or not Kafka took
	 * it.
	 */
	private Attempt retry(WorkItem item, int attempt, Instant started, String error) {
		this.publisher.publish(
				ItemStatus.of(item, ItemState.RETRYING, attempt, started, this.clock.instant(), error, this.agent));
		this.metrics.retried(item.queue());
		return Attempt.settled(new Verdict.Retry(this.backoff.after(attempt)));
	}

}
