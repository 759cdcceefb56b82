package dev.outrigger.work.status;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Forgets finished items once they are older than the retention: writes a tombstone for
 * each, so compaction removes them and the status topic does not grow without end. Every
 * coordinator replica sweeps; a tombstone written twice does no harm.
 */
public final class StatusRetention implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(StatusRetention.class);

	private final StatusView view;

	private final StatusPublisher publisher;

	private final Duration retention;

	private final Clock clock;

	private final ScheduledExecutorService schedule = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("status-retention").daemon().factory());

	public StatusRetention(StatusView view, StatusPublisher publisher, Duration retention, Clock clock) {
		this.view = view;
		this.publisher = publisher;
		this.retention = retention;
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
		List<String> expired = this.view.finishedBefore(this.clock.instant().minus(this.retention));
		for (String id : expired) {
			this.publisher.forget(id);
		}
		if (!expired.isEmpty()) {
			logger.debug("Forgot " + expired.size() + " finished items older than " + this.retention);
		}
		return expired.size();
	}

}
