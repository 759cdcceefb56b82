package dev.outrigger.election;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One named election as this sidecar sees it: the current state, a change sequence for
 * long polls, and listeners (SSE streams, the webhook, metrics) told of every change in
 * order.
 */
public final class Election implements ElectionObserver {

	private static final Log logger = LogFactory.getLog(Election.class);

	private final Clock clock;

	private final List<Consumer<LeaderState>> listeners = new CopyOnWriteArrayList<>();

	private final Object monitor = new Object();

	private LeaderState state;

	private long sequence;

	private boolean observed;

	private @Nullable String problem;

	public Election(String name, String self, String backend, Clock clock) {
		this.clock = clock;
		this.state = LeaderState.initial(name, self, backend, clock.instant());
	}

	public String name() {
		return state().election();
	}

	public LeaderState state() {
		synchronized (this.monitor) {
			return this.state;
		}
	}

	/** Whether the backend has reported anything yet. */
	public boolean hasObserved() {
		synchronized (this.monitor) {
			return this.observed;
		}
	}

	/**
	 * Why the backend cannot answer, while it cannot; see
	 * {@link ElectionObserver#problem}.
	 */
	public @Nullable String problem() {
		synchronized (this.monitor) {
			return this.problem;
		}
	}

	@Override
	public void problem(@Nullable String problem) {
		synchronized (this.monitor) {
			this.problem = problem;
		}
	}

	@Override
	public void observe(LeaderObservation observation) {
		LeaderState changed;
		synchronized (this.monitor) {
			this.observed = true;
			if (!this.state.differsFrom(observation)) {
				return;
			}
			LeaderState previous = this.state;
			changed = previous.with(observation, this.clock.instant());
			this.state = changed;
			this.sequence++;
			this.monitor.notifyAll();
			logger.info("Election '" + changed.election() + "': " + describe(changed) + " (was " + describe(previous)
					+ ")");
			// listeners run under the monitor so every listener sees changes in the order
			// they happened
			this.listeners.forEach((listener) -> notify(listener, changed));
		}
	}

	/**
	 * Waits until the state differs from {@code fencingToken} or changes at all, at most
	 * {@code timeout}, and returns the state then.
	 */
	public LeaderState awaitChange(long fencingToken, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.monitor) {
			long seen = this.sequence;
			while (this.state.fencingToken() == fencingToken && this.sequence == seen) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					break;
				}
				java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this.monitor, left);
			}
			return this.state;
		}
	}

	/**
	 * Adds a listener, first told the current state, then every change; returns how to
	 * remove it.
	 */
	public Runnable listen(Consumer<LeaderState> listener) {
		synchronized (this.monitor) {
			notify(listener, this.state);
			this.listeners.add(listener);
		}
		return () -> this.listeners.remove(listener);
	}

	/** Adds a listener told of changes only (not of the current state). */
	public Runnable listenToChanges(Consumer<LeaderState> listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	private static void notify(Consumer<LeaderState> listener, LeaderState state) {
		try {
			listener.accept(state);
		}
		catch (RuntimeException ex) {
			logger.warn("A leader-change listener failed: " + ex.getMessage(), ex);
		}
	}

	private static String describe(LeaderState state) {
		@Nullable String leader = state.leader();
		if (leader == null) {
			return "no leader";
		}
		return (state.isLeader() ? "this candidate (" + leader + ")" : leader) + " leads with token "
				+ state.fencingToken();
	}

}
