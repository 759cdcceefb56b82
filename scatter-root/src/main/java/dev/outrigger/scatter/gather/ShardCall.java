package dev.outrigger.scatter.gather;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import dev.outrigger.scatter.Hedging;
import dev.outrigger.scatter.Shard;
import dev.outrigger.scatter.merge.LeafAnswer;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One shard's part of a request: a call to one replica, and at most one backup to another
 * — after the hedging delay, or at once when the first failed in a way another replica
 * may not (refused, 5xx) — within the budget. The first success wins and the other call
 * is cancelled; a 4xx ends the shard's part at once (another replica would say the same).
 * Callbacks run on the leaf client's virtual threads; the state is guarded by this
 * object's lock.
 */
final class ShardCall {

	/**
	 * How long after the deadline the HTTP client gives up on its own: a backstop only,
	 * so that the root's cancellation at the deadline, not a race with the client's
	 * timer, decides that a shard timed out.
	 */
	static final Duration TIMEOUT_GRACE = Duration.ofSeconds(5);

	private final int index;

	private final Shard shard;

	private final String method;

	private final String pathAndQuery;

	private final byte[] body;

	private final Map<String, List<String>> headers;

	private final long deadlineNanos;

	private final Context context;

	private final Consumer<LeafOutcome> done;

	private final long started = System.nanoTime();

	private final List<Attempt> attempts = new ArrayList<>(2);

	private final int firstReplica;

	private boolean finished;

	private boolean hedged;

	private @Nullable ScheduledFuture<?> hedgeTimer;

	private @Nullable LeafOutcome lastFailure;

	/**
	 * @param firstReplica where the primary call starts looking (the caller turns it
	 * round, so replicas share the load)
	 */
	ShardCall(int index, Shard shard, int firstReplica, ScatterRequest request, String pathAndQuery, Context context,
			Consumer<LeafOutcome> done) {
		this.index = index;
		this.shard = shard;
		this.method = request.method();
		this.pathAndQuery = pathAndQuery;
		this.body = request.body();
		this.headers = request.headers();
		this.deadlineNanos = request.deadlineNanos();
		this.context = context;
		this.done = done;
		this.firstReplica = Math.floorMod(firstReplica, shard.replicas().size());
	}

	synchronized void start() {
		if (launch(false) == null) {
			finish(LeafOutcome.failed(this.index, this.shard.id(), this.shard.replicas().getFirst(), 0, 0,
					"every replica's circuit is open (the leaf failed too often lately)", false));
			return;
		}
		this.context.budget().deposit();
		if (this.finished) {
			return;
		}
		Hedging hedging = this.context.route().hedging();
		if (hedging.allows(this.method)) {
			long delay = switch (hedging.mode()) {
				case P95 -> this.context.latencies().p95(this.shard.id()).orElse(hedging.delay()).toNanos();
				default -> hedging.delay().toNanos();
			};
			if (delay < this.deadlineNanos - System.nanoTime()) {
				try {
					this.hedgeTimer = this.context.timer().schedule(this::hedgeNow, delay, TimeUnit.NANOSECONDS);
				}
				catch (RejectedExecutionException ex) {
					// the root is stopping: no backups
				}
			}
		}
	}

	/**
	 * Stops waiting for this shard: cancels what is outstanding, and says how the shard
	 * ended for the report (no outcome reaches the callback after this).
	 * @param result TIMED_OUT (the deadline passed) or SKIPPED (the merge was done)
	 */
	synchronized LeafOutcome abandon(LeafOutcome.Result result) {
		this.finished = true;
		stopTimer();
		boolean late = result == LeafOutcome.Result.TIMED_OUT;
		for (Attempt attempt : this.attempts) {
			if (!attempt.ended) {
				attempt.ended = true;
				if (late) {
					// a leaf that never answers counts against its circuit like one that
					// fails
					this.context.breakers()
						.failed(attempt.leaf(), System.nanoTime() - attempt.started(),
								new TimeoutException("no answer before the deadline"));
				}
				else {
					this.context.breakers().released(attempt.leaf());
				}
				attempt.future().cancel(true);
			}
		}
		URI leaf = this.attempts.isEmpty() ? null : this.attempts.getLast().leaf();
		String error = late ? "no answer before the deadline" : null;
		return new LeafOutcome(this.index, this.shard.id(), leaf, result, 0, System.nanoTime() - this.started, error,
				this.hedged, null);
	}

	private synchronized void hedgeNow() {
		if (!this.finished && !this.hedged) {
			sendBackup();
		}
	}

	private boolean sendBackup() {
		if (!this.context.budget().tryWithdraw()) {
			this.context.metrics().budgetExhausted(this.context.route().prefix());
			return false;
		}
		if (launch(true) == null) {
			this.context.budget().refund();
			return false;
		}
		this.hedged = true;
		this.context.metrics().hedgeSent(this.context.route().prefix());
		return true;
	}

	/**
	 * Calls a replica whose circuit lets it: for the primary call the first from this
	 * call's turn (so replicas share the load), for a backup another than those tried if
	 * there is one.
	 */
	private @Nullable Attempt launch(boolean backup) {
		List<URI> replicas = this.shard.replicas();
		URI chosen = null;
		for (int pass = 0; pass < 2 && chosen == null; pass++) {
			for (int i = 0; i < replicas.size() && chosen == null; i++) {
				URI candidate = replicas.get((this.firstReplica + i + (backup ? 1 : 0)) % replicas.size());
				boolean tried = this.attempts.stream().anyMatch((attempt) -> attempt.leaf().equals(candidate));
				// the first pass skips replicas already tried; a shard of one replica
				// sends its backup to the same leaf
				if ((pass == 1 || !tried) && this.context.breakers().tryAcquire(candidate)) {
					chosen = candidate;
				}
			}
		}
		if (chosen == null) {
			return null;
		}
		long left = Math.max(1, this.deadlineNanos - System.nanoTime());
		URI target = URI.create(chosen + this.pathAndQuery);
		CompletableFuture<LeafAnswer> future = this.context.client()
			.send(target, this.method, this.body, headersFor(backup, left), Duration.ofNanos(left).plus(TIMEOUT_GRACE),
					this.context.route().maxLeafBytes(), this.context.account());
		Attempt attempt = new Attempt(chosen, backup, System.nanoTime(), future);
		this.attempts.add(attempt);
		future.whenCompleteAsync((response, failure) -> ended(attempt, response, failure),
				this.context.client().callbacks());
		return attempt;
	}

	/**
	 * The forwarded headers, plus how long the leaf has (as gRPC passes its deadline on)
	 * and, on a backup, {@code Outrigger-Hedge: 1}.
	 */
	private Map<String, List<String>> headersFor(boolean backup, long leftNanos) {
		Map<String, List<String>> headers = new LinkedHashMap<>(this.headers);
		headers.put("Outrigger-Deadline", List.of(Math.max(1, leftNanos / 1_000_000) + "ms"));
		if (backup) {
			headers.put("Outrigger-Hedge", List.of("1"));
		}
		return headers;
	}

	private synchronized void ended(Attempt attempt, @Nullable LeafAnswer response, @Nullable Throwable failure) {
		if (attempt.ended) {
			// abandoned or lost the race: already accounted for
			return;
		}
		attempt.ended = true;
		long nanos = System.nanoTime() - attempt.started();
		Throwable cause = unwrap(failure);
		if (cause instanceof CancellationException) {
			this.context.breakers().released(attempt.leaf());
			return;
		}
		int status = (response != null) ? response.status() : 0;
		long sinceStart = System.nanoTime() - this.started;
		if (cause instanceof LeafClient.AnswerTooLargeException || cause instanceof LeafClient.BufferFullException) {
			// the root's limit, not the leaf's fault: no mark against it, and no backup
			// (the other replica's answer is as large)
			this.context.breakers().released(attempt.leaf());
			if (!this.finished) {
				finish(LeafOutcome.failed(this.index, this.shard.id(), attempt.leaf(), status, sinceStart,
						cause.getMessage(), this.hedged));
			}
			return;
		}
		boolean success = cause == null && status >= 200 && status < 300;
		boolean leafFault = cause != null || status >= 500;
		if (success) {
			this.context.breakers().succeeded(attempt.leaf(), nanos);
			this.context.latencies().record(this.shard.id(), nanos);
		}
		else if (leafFault) {
			this.context.breakers()
				.failed(attempt.leaf(), nanos, (cause != null) ? cause : new IllegalStateException("HTTP " + status));
		}
		else {
			this.context.breakers().succeeded(attempt.leaf(), nanos);
		}
		if (this.finished) {
			return;
		}
		if (success) {
			if (attempt.backup()) {
				this.context.metrics().hedgeWon(this.context.route().prefix());
			}
			finish(new LeafOutcome(this.index, this.shard.id(), attempt.leaf(), LeafOutcome.Result.SUCCEEDED, status,
					sinceStart, null, this.hedged, response));
			return;
		}
		LeafOutcome failed = LeafOutcome.failed(this.index, this.shard.id(), attempt.leaf(), status, sinceStart,
				describe(cause, status), this.hedged);
		if (!leafFault) {
			finish(failed);
			return;
		}
		this.lastFailure = failed;
		boolean retry = !this.hedged && this.context.route().hedging().allows(this.method)
				&& this.deadlineNanos - System.nanoTime() > 0;
		if (retry && sendBackup()) {
			stopTimer();
			return;
		}
		if (this.attempts.stream().allMatch((other) -> other.ended)) {
			finish(this.lastFailure);
		}
	}

	private void finish(LeafOutcome outcome) {
		this.finished = true;
		stopTimer();
		for (Attempt attempt : this.attempts) {
			if (!attempt.ended) {
				attempt.ended = true;
				this.context.breakers().released(attempt.leaf());
				attempt.future().cancel(true);
			}
		}
		this.done.accept(outcome);
	}

	private void stopTimer() {
		if (this.hedgeTimer != null) {
			this.hedgeTimer.cancel(false);
			this.hedgeTimer = null;
		}
	}

	private static @Nullable Throwable unwrap(@Nullable Throwable failure) {
		Throwable cause = failure;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	private static String describe(@Nullable Throwable cause, int status) {
		if (cause == null) {
			return "HTTP " + status;
		}
		if (cause instanceof ConnectException || cause instanceof ConnectTimeoutException
				|| cause instanceof UnknownHostException) {
			return "connection refused or failed: " + cause.getMessage();
		}
		if (cause instanceof SocketTimeoutException) {
			return "no answer before the deadline";
		}
		String message = cause.getMessage();
		return (message != null) ? message : cause.getClass().getSimpleName();
	}

	/** What a call needs besides its request. */
	record Context(Route route, LeafClient client, LeafBreakers breakers, HedgeBudget budget, ShardLatencies latencies,
			ScheduledExecutorService timer, ScatterMetrics metrics, BufferBudget.Account account) {
	}

	/** One call to one replica. */
	private static final class Attempt {

		private final URI leaf;

		private final boolean backup;

		private final long started;

		private final CompletableFuture<LeafAnswer> future;

		private boolean ended;

		Attempt(URI leaf, boolean backup, long started, CompletableFuture<LeafAnswer> future) {
			this.leaf = leaf;
			this.backup = backup;
			this.started = started;
			this.future = future;
		}

		URI leaf() {
			return this.leaf;
		}

		boolean backup() {
			return this.backup;
		}

		long started() {
			return this.started;
		}

		CompletableFuture<LeafAnswer> future() {
			return this.future;
		}

	}

}
