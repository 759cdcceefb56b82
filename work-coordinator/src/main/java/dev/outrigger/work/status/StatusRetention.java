package dev.outrigger.work.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Forgets finished items once they are older than the retention: writes a tombstone for
 * each, so compaction removes them and the status topic does not grow without end. An
 * item submitted with an idempotency key is kept for at least the idempotency window, so
 * its key is remembered that long whatever the retention. Every coordinator replica
 * sweeps; a tombstone written twice does no harm.
 */
public final class StatusRetention implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(StatusRetention.class);

	private final StatusView view;

	private final StatusPublisher publisher;

	/**
	 * Items forgotten per kind and sweep at most, so one sweep never holds a long list.
	 */
	private static final int SWEEP_LIMIT = 100_000;

	private final Duration retention;

	private final Duration keyedRetention;

	private final Clock clock;

	private final ScheduledExecutorService schedule = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("status-retention").daemon().factory());

	public StatusRetention(StatusView view, StatusPublisher publisher, Duration retention, Duration idempotencyWindow,
			Clock clock) {
		this.view = view;
		this.publisher = publisher;
		this.retention = retention;
		this.keyedRetention = (idempotencyWindow.compareTo(retention) > 0) ? idempotencyWindow : retention;
		this.clock = clock;
	}

	public void start() {
		long every = interval().toMillis();
		this.schedule.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
	}

	private void sweepQuietly() {
		try {
			sweep();
		}
		catch (RuntimeException ex) {
			logger.warn("Status retention sweep failed; trying again later: " + ex);
		}
	}

	@Override
	public void close() {
		this.schedule.shutdownNow();
	}

	/** How often to sweep: a tenth of the retention, and at least once a minute. */
	public Duration interval() {
		Duration tenth = this.retention.dividedBy(10);
		return (tenth.compareTo(Duration.ofMinutes(1)) > 0) ? Duration.ofMinutes(1) : tenth;
	}

	public int sweep() {
		Instant now = this.clock.instant();
		return forget(false, now.minus(this.retention)) + forget(true, now.minus(this.keyedRetention));
	}

	private int forget(boolean keyed, Instant cutoff) {
		List<String> expired = this.view.finishedBefore(keyed, cutoff, SWEEP_LIMIT);
		for (String id : expired) {
			this.publisher.forget(id);
		}
		if (!expired.isEmpty()) {
			logger.debug("Forgot " + expired.size() + " finished items" + (keyed ? " with idempotency keys" : "")
					+ " that finished before " + cutoff);
		}
		return expired.size();
	}

}
