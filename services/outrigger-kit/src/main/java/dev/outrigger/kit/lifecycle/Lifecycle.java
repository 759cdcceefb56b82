package dev.outrigger.kit.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The container's lifecycle state machine. It moves between {@link LifecycleState states}
 * on operator request or on shutdown and calls every {@link LifecycleParticipant} on the
 * way. Pause and resume are idempotent; a request that the current state does not allow
 * throws {@link IllegalLifecycleTransitionException}. Drain runs once; asking again
 * returns the same outcome.
 */
public final class Lifecycle {

	private static final Log logger = LogFactory.getLog(Lifecycle.class);

	private final List<LifecycleParticipant> participants;

	private final Clock clock;

	private final ThreadFactory drainThreads;

	private final Object monitor = new Object();

	private volatile LifecycleStatus status;

	private CompletableFuture<LifecycleStatus> drained;

	/**
	 * @param participants the pattern's participants, called in this order
	 * @param clock the clock that stamps each state change
	 * @param drainThreads makes one thread per participant drain (virtual threads in
	 * production)
	 */
	public Lifecycle(List<LifecycleParticipant> participants, Clock clock, ThreadFactory drainThreads) {
		this.participants = List.copyOf(participants);
		this.clock = clock;
		this.drainThreads = drainThreads;
		this.status = new LifecycleStatus(LifecycleState.STARTING, clock.instant());
	}

	public LifecycleStatus status() {
		return this.status;
	}

	/**
	 * The application has started: STARTING becomes RUNNING unless a drain already began.
	 */
	public void started() {
		synchronized (this.monitor) {
			if (this.status.state() == LifecycleState.STARTING) {
				moveTo(LifecycleState.RUNNING, "started");
			}
		}
	}

	/** Stop taking new work. Idempotent while paused. */
	public LifecycleStatus pause() {
		synchronized (this.monitor) {
			if (this.status.state() == LifecycleState.PAUSED) {
				return this.status;
			}
			requireMove(LifecycleState.PAUSED);
			moveTo(LifecycleState.PAUSED, "pause requested");
			this.participants.forEach((participant) -> call(participant, "pause", participant::pause));
			return this.status;
		}
	}

	/** Take new work again. Idempotent while running. */
	public LifecycleStatus resume() {
		synchronized (this.monitor) {
			if (this.status.state() == LifecycleState.RUNNING) {
				return this.status;
			}
			if (this.status.state() != LifecycleState.PAUSED) {
				// STARTING -> RUNNING is the application's own step, not an operator's
				// resume
				throw new IllegalLifecycleTransitionException(this.status.state(), LifecycleState.RUNNING);
			}
			this.participants.forEach((participant) -> call(participant, "resume", participant::resume));
			moveTo(LifecycleState.RUNNING, "resume requested");
			return this.status;
		}
	}

	/**
	 * Stop taking work for good: every participant drains in parallel, each within
	 * {@code deadline}, then the state becomes STOPPED. Readiness is false from the
	 * moment this is called. A second call joins the first drain and ignores its own
	 * deadline.
	 * @param deadline how long participants have to finish or hand back their work
	 * @return completes with the STOPPED status once every participant finished or the
	 * deadline passed
	 */
	public CompletableFuture<LifecycleStatus> drain(Duration deadline) {
		synchronized (this.monitor) {
			if (this.drained != null) {
				return this.drained;
			}
			requireMove(LifecycleState.DRAINING);
			moveTo(LifecycleState.DRAINING, "drain requested, deadline " + deadline);
			this.drained = new CompletableFuture<>();
			this.drainThreads.newThread(() -> drainParticipants(deadline)).start();
			return this.drained;
		}
	}

	/**
	 * Whether the container may take traffic now: RUNNING and every participant ready.
	 */
	public boolean isReady() {
		return this.status.state() == LifecycleState.RUNNING
				&& this.participants.stream().allMatch((participant) -> readinessOf(participant).ready());
	}

	/** Each participant's readiness, by name, in participant order. */
	public Map<String, Readiness> participantReadiness() {
		Map<String, Readiness> readiness = new LinkedHashMap<>();
		this.participants.forEach((participant) -> readiness.put(participant.name(), readinessOf(participant)));
		return readiness;
	}

	private Readiness readinessOf(LifecycleParticipant participant) {
		try {
			return participant.readiness();
		}
		catch (RuntimeException ex) {
			return Readiness.notReady("readiness check failed: " + ex.getMessage());
		}
	}

	private void drainParticipants(Duration deadline) {
		long started = System.nanoTime();
		long deadlineNanos = started + deadline.toNanos();
		try {
			List<Draining> draining = this.participants.stream()
				.map((participant) -> startDrain(participant, deadline))
				.toList();
			draining.forEach((each) -> each.await(deadlineNanos));
		}
		finally {
			synchronized (this.monitor) {
				moveTo(LifecycleState.STOPPED,
						"drained in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
				this.drained.complete(this.status);
			}
		}
	}

	private Draining startDrain(LifecycleParticipant participant, Duration deadline) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		Thread thread = this.drainThreads.newThread(() -> {
			try {
				participant.drain(deadline);
				done.complete(null);
			}
			catch (Throwable ex) {
				done.completeExceptionally(ex);
			}
		});
		thread.start();
		return new Draining(participant, thread, done);
	}

	/** One participant's drain in progress, on its own thread. */
	private record Draining(LifecycleParticipant participant, Thread thread, CompletableFuture<Void> done) {

		void await(long deadlineNanos) {
			try {
				this.done.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				logger.warn("Participant '" + this.participant.name()
						+ "' did not finish draining before the deadline; stopping without it");
				this.thread.interrupt();
			}
			catch (ExecutionException ex) {
				logger.warn("Participant '" + this.participant.name() + "' failed to drain: " + ex.getCause(),
						ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.thread.interrupt();
			}
		}

	}

	private void requireMove(LifecycleState target) {
		if (!this.status.state().canMoveTo(target)) {
			throw new IllegalLifecycleTransitionException(this.status.state(), target);
		}
	}

	private void moveTo(LifecycleState target, String reason) {
		LifecycleState from = this.status.state();
		this.status = new LifecycleStatus(target, this.clock.instant());
		logger.info("Lifecycle " + from + " -> " + target + " (" + reason + ")");
	}

	private void call(LifecycleParticipant participant, String hook, Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Participant '" + participant.name() + "' failed to " + hook + ": " + ex.getMessage(), ex);
		}
	}

}
