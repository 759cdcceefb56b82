package dev.outrigger.work.agent.share;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;

/**
 * One share consumer's loop, on its own thread. While the agent takes items it keeps a
 * {@link ShareSession} open: fetches a batch, tends it until every record is
 * acknowledged, fetches the next. When the agent stops taking (paused, draining) it
 * finishes what it holds and closes the consumer, so no record sits locked in an idle
 * consumer; it opens a new one on resume. When the agent stops, it acknowledges what
 * settles in time and closes the consumer, which releases the rest.
 */
final class ShareConsumerLoop implements Runnable {

	private static final Log logger = LogFactory.getLog(ShareConsumerLoop.class);

	/**
	 * How long one fetch waits for records; pausing and stopping are noticed at this
	 * pace.
	 */
	private static final Duration FETCH_POLL = Duration.ofMillis(250);

	/**
	 * The longest the loop waits for a settlement before looking at the agent's mode
	 * again.
	 */
	private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

	/** How long closing an idle consumer may take. */
	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	/** The least time a consumer is given to close when the agent stops. */
	private static final Duration MIN_CLOSE_TIMEOUT = Duration.ofMillis(100);

	private final String name;

	private final ShareConsumers consumers;

	private final List<String> topics;

	private final Intake intake;

	private final Delivery.Work work;

	private final Duration recordLock;

	private final BlockingQueue<Settlement> settlements = new LinkedBlockingQueue<>();

	private final CountDownLatch finished = new CountDownLatch(1);

	private final Thread thread;

	/** Touched by the loop's thread only. */
	private @Nullable ShareSession session;

	ShareConsumerLoop(String name, ShareConsumers consumers, List<String> topics, Intake intake, Delivery.Work work,
			Duration recordLock) {
		this.name = name;
		this.consumers = consumers;
		this.topics = topics;
		this.intake = intake;
		this.work = work;
		this.recordLock = recordLock;
		this.thread = Thread.ofPlatform().name("share-engine-" + name).daemon(true).unstarted(this);
	}

	void start() {
		this.thread.start();
	}

	boolean running() {
		return this.thread.isAlive();
	}

	/**
	 * Waits until the loop has closed its consumer, up to {@code deadline}
	 * ({@link System#nanoTime()}).
	 */
	boolean awaitFinished(long deadline) throws InterruptedException {
		return this.finished.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
	}

	@Override
	public void run() {
		try {
			while (!this.intake.stopped()) {
				step();
			}
			finish();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.finished.countDown();
		}
	}

	private void step() throws InterruptedException {
		try {
			ShareSession current = this.session;
			if (current == null || current.isEmpty()) {
				if (this.intake.taking()) {
					fetch();
				}
				else {
					closeSession(CLOSE_TIMEOUT);
					// nothing is held: a settlement arriving now belongs to a record
					// whose lock was lost
					this.settlements.poll(MAX_WAIT_NANOS, TimeUnit.NANOSECONDS);
				}
				return;
			}
			current.tend(MAX_WAIT_NANOS);
		}
		catch (KafkaException ex) {
			// Kafka unreachable or changing leaders: keep the records, they may still be
			// acknowledged
			logger.warn("Share consumer " + this.name + ": " + ex.getMessage() + "; trying again in " + RETRY_PAUSE);
			Thread.sleep(RETRY_PAUSE);
		}
		catch (RuntimeException ex) {
			logger.error("Share consumer " + this.name + " failed; closing it, which hands back what it holds, "
					+ "and starting again", ex);
			closeSession(CLOSE_TIMEOUT);
			Thread.sleep(RETRY_PAUSE);
		}
	}

	private void fetch() {
		ShareSession current = open();
		this.intake.fetching(this);
		current.fetch(FETCH_POLL);
		if (!current.isEmpty()) {
			// it fetched records, so no fetch is in flight any more
			this.intake.notFetching(this);
		}
	}

	private ShareSession open() {
		ShareSession current = this.session;
		if (current == null) {
			current = new ShareSession(this.consumers.create(this.name), this.topics, this.work, this.settlements,
					this.recordLock);
			this.session = current;
		}
		return current;
	}

	/**
	 * Stopping: acknowledge what settles in the first half of the time left, close in the
	 * rest.
	 */
	private void finish() throws InterruptedException {
		ShareSession current = this.session;
		if (current == null) {
			return;
		}
		long left = this.intake.stopDeadline() - System.nanoTime();
		current.settleInHand(System.nanoTime() + left / 2);
		closeSession(Duration.ofNanos(Math.max(MIN_CLOSE_TIMEOUT.toNanos(), left / 2)));
	}

	private void closeSession(Duration timeout) {
		ShareSession current = this.session;
		if (current != null) {
			this.session = null;
			current.close(timeout);
		}
		this.intake.notFetching(this);
	}

}
