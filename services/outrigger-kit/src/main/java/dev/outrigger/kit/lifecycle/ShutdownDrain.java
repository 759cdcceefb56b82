package dev.outrigger.kit.lifecycle;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the same drain as {@code POST /lifecycle/drain} when the application context
 * closes (SIGTERM), before the web server stops: it has the highest phase, so it stops
 * first, while the server still answers readiness with 503 and finishes requests in
 * flight.
 */
public class ShutdownDrain implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ShutdownDrain.class);

	private final Lifecycle lifecycle;

	private final Duration deadline;

	private volatile boolean running;

	public ShutdownDrain(Lifecycle lifecycle, Duration deadline) {
		this.lifecycle = lifecycle;
		this.deadline = deadline;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		try {
			if (this.lifecycle.status().state() != LifecycleState.STOPPED) {
				logger.info("Shutting down: draining within " + this.deadline);
			}
			this.lifecycle.drain(this.deadline).get(this.deadline.toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Drain did not complete cleanly on shutdown: " + ex);
		}
		finally {
			this.running = false;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

}
