package dev.outrigger.work.agent.share;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Whether the agent takes items, and the deliveries it has in hand. Consumers fetch only
 * while it takes; at most {@code concurrency} deliveries run at once. Pausing or draining
 * hands back the deliveries still waiting for their turn; stopping interrupts every
 * delivery, so each hands its record back.
 */
final class Intake {

	private final Semaphore permits;

	private final Set<Delivery> deliveries = ConcurrentHashMap.newKeySet();

	/** Consumers that may have a fetch in flight. */
	private final Set<Object> fetching = ConcurrentHashMap.newKeySet();

	private volatile Mode mode = Mode.TAKING;

	private volatile long stopDeadline;

	Intake(int concurrency) {
		this.permits = new Semaphore(concurrency, true);
	}

	boolean taking() {
		return this.mode == Mode.TAKING;
	}

	/** Draining or stopped: no delivery should wait for anything any more. */
	boolean windingDown() {
		return this.mode == Mode.DRAINING || this.mode == Mode.STOPPED;
	}

	boolean stopped() {
		return this.mode == Mode.STOPPED;
	}

	/** When consumers must have closed, once stopped ({@link System#nanoTime()}). */
	long stopDeadline() {
		return this.stopDeadline;
	}

	synchronized void pause() {
		if (this.mode == Mode.TAKING) {
			this.mode = Mode.PAUSED;
			this.deliveries.forEach(Delivery::handBackIfWaiting);
		}
	}

	synchronized void resume() {
		if (this.mode == Mode.PAUSED) {
			this.mode = Mode.TAKING;
		}
	}

	/**
	 * Takes no more items, for good; deliveries waiting for a turn or a backoff are
	 * handed back.
	 */
	synchronized void drain() {
		if (!windingDown()) {
			this.mode = Mode.DRAINING;
			this.deliveries.forEach((delivery) -> {
				delivery.handBackIfWaiting();
				delivery.cutBackoff();
			});
		}
	}

	/**
	 * Interrupts every delivery so it hands its record back.
	 * @param deadline when consumers must have closed ({@link System#nanoTime()})
	 * @return false if already stopped
	 */
	synchronized boolean stop(long deadline) {
		if (this.mode == Mode.STOPPED) {
			return false;
		}
		this.stopDeadline = deadline;
		this.mode = Mode.STOPPED;
		this.deliveries.forEach(Delivery::interrupt);
		return true;
	}

	/**
	 * A delivery that starts after a pause, drain or stop hands its record back by
	 * itself.
	 */
	void started(Delivery delivery) {
		this.deliveries.add(delivery);
	}

	synchronized void finished(Delivery delivery) {
		this.deliveries.remove(delivery);
		notifyAll();
	}

	int inFlight() {
		return this.deliveries.size();
	}

	/**
	 * Waits until no delivery is left or {@code deadline} ({@link System#nanoTime()})
	 * passes.
	 * @return whether none is left
	 */
	synchronized boolean awaitNone(long deadline) throws InterruptedException {
		while (!this.deliveries.isEmpty()) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			TimeUnit.NANOSECONDS.timedWait(this, left);
		}
		return true;
	}

	/** {@code consumer} may have a fetch in flight until {@link #notFetching(Object)}. */
	void fetching(Object consumer) {
		this.fetching.add(consumer);
	}

	synchronized void notFetching(Object consumer) {
		if (this.fetching.remove(consumer)) {
			notifyAll();
		}
	}

	/**
	 * Waits, even when interrupted, until none of the agent's consumers may have a fetch
	 * in flight, or until {@code deadline} ({@link System#nanoTime()}). A record handed
	 * back while the agent winds down would otherwise land in one of its own closing
	 * consumers, which would hand it back again — a delivery lost, and at Kafka's
	 * delivery limit the record archived.
	 */
	synchronized void awaitNoFetches(long deadline) {
		boolean interrupted = false;
		long left = deadline - System.nanoTime();
		while (!this.fetching.isEmpty() && left > 0) {
			try {
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
			left = deadline - System.nanoTime();
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	void acquireTurn() throws InterruptedException {
		this.permits.acquire();
	}

	void releaseTurn() {
		this.permits.release();
	}

	/** Where the agent is in its life. */
	enum Mode {

		TAKING, PAUSED, DRAINING, STOPPED

	}

}
