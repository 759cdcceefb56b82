package dev.outrigger.examples.hello;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.outrigger.kit.lifecycle.LifecycleParticipant;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Makes greetings and takes part in the lifecycle: it refuses new greetings while paused
 * or draining, and a drain waits for the greetings in flight.
 */
public class Greeter implements LifecycleParticipant {

	private static final Log logger = LogFactory.getLog(Greeter.class);

	private final String greeting;

	private final Object monitor = new Object();

	private final AtomicLong served = new AtomicLong();

	private int inFlight;

	private boolean accepting = true;

	public Greeter(String greeting) {
		this.greeting = greeting;
	}

	/**
	 * Greets {@code name}, taking {@code delay} to do it.
	 * @throws NotAcceptingException when paused or draining
	 */
	public String greet(String name, Duration delay) throws InterruptedException {
		synchronized (this.monitor) {
			if (!this.accepting) {
				throw new NotAcceptingException();
			}
			this.inFlight++;
		}
		try {
			Thread.sleep(delay);
			this.served.incrementAndGet();
			return this.greeting + ", " + name + "!";
		}
		finally {
			synchronized (this.monitor) {
				this.inFlight--;
				this.monitor.notifyAll();
			}
		}
	}

	public long served() {
		return this.served.get();
	}

	public int inFlight() {
		synchronized (this.monitor) {
			return this.inFlight;
		}
	}

	@Override
	public String name() {
		return "greeter";
	}

	@Override
	public void pause() {
		setAccepting(false);
	}

	@Override
	public void resume() {
		setAccepting(true);
	}

	@Override
	public void drain(Duration deadline) throws InterruptedException {
		synchronized (this.monitor) {
			this.accepting = false;
			if (this.inFlight > 0) {
				logger.info("Draining greeter: waiting for " + this.inFlight + " greeting(s) in flight");
			}
			while (this.inFlight > 0) {
				this.monitor.wait(100);
			}
		}
		logger.info("Greeter drained: " + this.served.get() + " greeting(s) served");
	}

	private void setAccepting(boolean accepting) {
		synchronized (this.monitor) {
			this.accepting = accepting;
		}
	}

	/** Greetings are not being taken right now. */
	public static class NotAcceptingException extends RuntimeException {

		NotAcceptingException() {
			super("not accepting greetings");
		}

	}

}
