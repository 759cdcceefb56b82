package dev.outrigger.work.agent;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.outrigger.work.item.ItemStatus;
import dev.outrigger.work.status.StatusPublisher;
import dev.outrigger.work.status.StatusView;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Reports RUNNING for the attempts that are still running after a while. A RUNNING record
 * for every attempt would cost a status write, and a read in every view, for each item;
 * short items instead go from QUEUED straight to their outcome, and a sweep reports the
 * long ones.
 */
public final class RunningReports implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RunningReports.class);

	private static final long MIN_SWEEP_MILLIS = 10;

	private static final long MAX_SWEEP_MILLIS = 1000;

	private final StatusPublisher publisher;

	private final StatusView view;

	private final long afterNanos;

	private final Set<Report> open = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService sweeper;

	/**
	 * @param after how long an attempt runs before it is reported; zero reports each as
	 * it starts
	 */
	public RunningReports(StatusPublisher publisher, StatusView view, Duration after) {
		this.publisher = publisher;
		this.view = view;
		this.afterNanos = after.toNanos();
		this.sweeper = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("running-reports").daemon(true).factory());
		if (!after.isZero()) {
			long period = Math.clamp(after.toMillis() / 2, MIN_SWEEP_MILLIS, MAX_SWEEP_MILLIS);
			this.sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * An attempt starts: {@code running} is written when it outlasts the delay. The
	 * caller must {@link Report#close()} the report before it writes the attempt's
	 * outcome.
	 */
	public Report started(ItemStatus running) {
		Report report = new Report(running, System.nanoTime());
		if (this.afterNanos == 0) {
			report.publish();
		}
		else {
			this.open.add(report);
		}
		return report;
	}

	private void sweep() {
		long now = System.nanoTime();
		for (Report report : this.open) {
			if (now - report.startedAt >= this.afterNanos) {
				try {
					report.publishOnce();
				}
				catch (RuntimeException ex) {
					// Kafka refused the write at once: RUNNING is informative, the sweep
					// carries on
					logger.warn("Could not report item " + report.running.id() + " RUNNING: " + ex.getMessage());
				}
			}
		}
	}

	@Override
	public void close() {
		this.sweeper.shutdownNow();
	}

	/** One attempt's RUNNING report. */
	public final class Report implements AutoCloseable {

		private final ItemStatus running;

		private final long startedAt;

		private boolean done;

		private Report(ItemStatus running, long startedAt) {
			this.running = running;
			this.startedAt = startedAt;
		}

		private synchronized void publishOnce() {
			if (!this.done) {
				publish();
			}
		}

		private void publish() {
			this.done = true;
			RunningReports.this.open.remove(this);
			// cancelled or superseded meanwhile: a RUNNING now would only come late after
			// it
			if (!RunningReports.this.view.settles(this.running.id(), this.running.generation())) {
				RunningReports.this.publisher.publish(this.running);
			}
		}

		/**
		 * The attempt is over: RUNNING is not reported any more. Once this returns, a
		 * RUNNING record already sent precedes whatever the caller writes next.
		 */
		@Override
		public synchronized void close() {
			this.done = true;
			RunningReports.this.open.remove(this);
		}

	}

}
