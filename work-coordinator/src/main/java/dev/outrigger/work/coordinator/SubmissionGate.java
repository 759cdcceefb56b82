package dev.outrigger.work.coordinator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.outrigger.kit.lifecycle.LifecycleParticipant;
import dev.outrigger.kit.lifecycle.Readiness;

/**
 * The coordinator's part in the lifecycle: paused or draining, it refuses new submissions
 * (503, so producers retry against another replica), and a drain waits for submissions
 * already being written to Kafka. It also sheds load: past {@link #MAX_IN_FLIGHT}
 * submissions waiting for Kafka at once, more are answered 503 at once instead of piling
 * up until the heap runs out.
 */
public final class SubmissionGate implements LifecycleParticipant {

	static final int MAX_IN_FLIGHT = 1024;

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile boolean open = true;

	private volatile boolean draining;

	@Override
	public String name() {
		return "submissions";
	}

	/**
	 * Lets one submission in.
	 * @throws SubmissionRefusedException while paused or draining, or past
	 * {@link #MAX_IN_FLIGHT}
	 */
	public void enter() {
		int waiting = this.inFlight.incrementAndGet();
		if (!this.open) {
			exit();
			throw new SubmissionRefusedException("this coordinator is " + (this.draining ? "draining" : "paused")
					+ " and takes no submissions; send them to another replica or retry later");
		}
		if (waiting > MAX_IN_FLIGHT) {
			exit();
			throw new SubmissionRefusedException("this coordinator has " + MAX_IN_FLIGHT
					+ " submissions waiting for Kafka; retry shortly or send them to another replica");
		}
	}

	public void exit() {
		if (this.inFlight.decrementAndGet() == 0) {
			synchronized (this.inFlight) {
				this.inFlight.notifyAll();
			}
		}
	}

	@Override
	public void pause() {
		this.open = false;
	}

	@Override
	public void resume() {
		if (!this.draining) {
			this.open = true;
		}
	}

	@Override
	public void drain(Duration deadline) throws InterruptedException {
		this.draining = true;
		this.open = false;
		synchronized (this.inFlight) {
			while (this.inFlight.get() > 0) {
				this.inFlight.wait(deadline.toMillis());
			}
		}
	}

	@Override
	public Readiness readiness() {
		return this.open ? Readiness.ready("taking submissions")
				: Readiness.notReady(this.draining ? "draining" : "paused");
	}

}
