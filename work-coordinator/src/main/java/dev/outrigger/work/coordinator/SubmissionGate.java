package dev.outrigger.work.coordinator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.outrigger.kit.lifecycle.LifecycleParticipant;
import dev.outrigger.kit.lifecycle.Readiness;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The coordinator's part in the lifecycle: paused or draining, it refuses new submissions (503, so
 * producers retry against another replica), and a drain waits for submissions already being
 * written to Kafka.
 */
public final class SubmissionGate implements LifecycleParticipant {

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile boolean open = true;

	private volatile boolean draining;

	@Override
	public String name() {
		return "submissions";
	}

	/** Lets one submission in, or refuses it with 503 while paused or draining. */
	public void enter() {
		this.inFlight.incrementAndGet();
		if (!this.open) {
			this.inFlight.decrementAndGet();
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
					"this coordinator is " + (this.draining ? "draining" : "paused")
							+ " and takes no submissions; send them to another replica or retry later");
			throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
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
