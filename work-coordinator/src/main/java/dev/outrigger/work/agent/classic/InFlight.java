package dev.outrigger.work.agent.classic;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The deliveries running on this agent's consumer threads, and the gate in front of them:
 * while the agent is paused or draining the gate is closed and no delivery starts.
 * Deliveries held until Kafka confirms their outcome ({@link UnconfirmedOutcomes}) count
 * as in flight too. When a drain runs out of time, the threads still running a delivery
 * are interrupted: their worker calls are cancelled and their deliveries go back to Kafka
 * uncommitted, for another agent to run.
 */
final class InFlight {

	private final Set<Thread> running = new HashSet<>();

	private int held;

	private boolean open = true;

	private boolean handingBack;

	/**
	 * Lets the calling consumer thread start a delivery.
	 * @return false if the gate is closed; the delivery must be handed back untouched
	 */
	synchronized boolean enter() {
		if (!this.open) {
			return false;
		}
		this.running.add(Thread.currentThread());
		return true;
	}

	/** The calling thread is through with its delivery. */
	void exit() {
		synchronized (this) {
			this.running.remove(Thread.currentThread());
			notifyAll();
		}
		// a hand-back interrupt is meant for the delivery, not for the consumer's commit
		// and poll
		Thread.interrupted();
	}

	/** A delivery that ran is held until its outcome is confirmed. */
	synchronized void hold() {
		this.held++;
	}

	/** A held delivery is acknowledged, or left to run again. */
	synchronized void release() {
		this.held--;
		notifyAll();
	}

	synchronized void close() {
		this.open = false;
	}

	/** Opens the gate again, unless deliveries are being handed back for good. */
	synchronized void open() {
		this.open = !this.handingBack;
	}

	/**
	 * Waits until no delivery runs or is held, or until {@code deadlineNanos} on the
	 * {@link System#nanoTime()} clock.
	 * @return whether no delivery runs or is held
	 */
	synchronized boolean awaitIdle(long deadlineNanos) throws InterruptedException {
		while (!this.running.isEmpty() || this.held > 0) {
			long left = deadlineNanos - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			TimeUnit.NANOSECONDS.timedWait(this, left);
		}
		return true;
	}

	/** Closes the gate for good and interrupts every delivery still running. */
	synchronized void handBack() {
		this.open = false;
		this.handingBack = true;
		this.running.forEach(Thread::interrupt);
	}

	/**
	 * Whether deliveries are being handed back, so a failure now is the hand-back's
	 * doing.
	 */
	synchronized boolean handingBack() {
		return this.handingBack;
	}

	synchronized int size() {
		return this.running.size() + this.held;
	}

}
