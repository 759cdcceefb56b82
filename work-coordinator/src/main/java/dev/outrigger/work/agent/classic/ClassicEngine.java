package dev.outrigger.work.agent.classic;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.outrigger.kit.lifecycle.Readiness;
import dev.outrigger.work.WorkProperties;
import dev.outrigger.work.agent.DeadLetters;
import dev.outrigger.work.agent.EngineContext;
import dev.outrigger.work.agent.WorkEngine;
import dev.outrigger.work.topic.QueueTopics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The classic engine: a Kafka consumer group with spring-kafka's listener containers, a
 * retry topic and a dead-letter topic per queue.
 * <p>
 * One container reads the items topics of the agent's queues (group
 * {@code OUTRIGGER_WORK_GROUP}), another their retry topics (that group name plus
 * {@code .retry}, so that neither container's members join or leave the other's group).
 * Each runs {@code min(OUTRIGGER_WORK_CONCURRENCY, partitions of its topics)} consumers,
 * and each consumer one item at a time: an agent's throughput is its consumers over the
 * time one item takes, so more partitions and more concurrency give more. While Kafka
 * confirms a succeeded item's outcome, its consumer already runs the next item
 * ({@link UnconfirmedOutcomes}). A delivery is committed once it is settled: succeeded,
 * re-queued on the retry topic with its next attempt and due time, or written to the
 * dead-letter topic. A delivery that did not settle (the agent stopped, its outcome could
 * not be recorded) is never committed and runs again, here or on another agent.
 * {@link PollLimits} keeps a long item from costing its consumer the group membership.
 */
public final class ClassicEngine implements WorkEngine {

	private static final Log logger = LogFactory.getLog(ClassicEngine.class);

	/**
	 * How long {@link #stop()} waits for the consumers to commit and leave their groups.
	 */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	/** At most this much of a drain's deadline is kept back to stop the consumers. */
	private static final Duration STOP_ALLOWANCE = Duration.ofSeconds(1);

	/**
	 * Between the blocking retries of a delivery that failed unexpectedly (a bug, not a
	 * verdict).
	 */
	private static final Duration UNEXPECTED_FAILURE_BACKOFF = Duration.ofSeconds(1);

	private static final int UNEXPECTED_FAILURE_RETRIES = 2;

	private final List<String> queues;

	private final int concurrency;

	private final PollLimits limits;

	private final InFlight inFlight = new InFlight();

	private final List<ConcurrentMessageListenerContainer<String, byte[]>> containers;

	private final Object lifecycle = new Object();

	private boolean started;

	private boolean paused;

	private boolean stopped;

	public ClassicEngine(EngineContext context) {
		WorkProperties properties = context.properties();
		QueueTopics topics = context.topics();
		this.queues = List.copyOf(properties.queues());
		this.concurrency = Math.min(properties.concurrency(), properties.topics().partitions() * this.queues.size());
		DeadLetters deadLetters = new DeadLetters(context.kafkaTemplate(), topics);
		UnconfirmedOutcomes unconfirmed = new UnconfirmedOutcomes(this.inFlight);
		DeliveryListener listener = new DeliveryListener(context.runner(), context.json(), topics,
				new RetryTopic(context.kafkaTemplate(), topics, Clock.systemUTC()), deadLetters, this.inFlight,
				unconfirmed, properties.backoff().max(), Clock.systemUTC());
		// a delivery the listener cannot handle at all is dead-lettered after two more
		// tries, not retried forever
		DefaultErrorHandler errorHandler = new DefaultErrorHandler(deadLetters.recoverer(),
				new FixedBackOff(UNEXPECTED_FAILURE_BACKOFF.toMillis(), UNEXPECTED_FAILURE_RETRIES));
		ListenerContainers containers = new ListenerContainers(context.kafka(), properties.itemTimeout(), listener,
				unconfirmed, errorHandler, this.concurrency);
		this.limits = containers.pollLimits();
		this.containers = List.of(
				containers.create("classic-items", properties.group(),
						this.queues.stream().map(topics::items).toList()),
				containers.create("classic-retry", properties.group() + ".retry",
						this.queues.stream().map(topics::retry).toList()));
	}

	@Override
	public String name() {
		return "classic-engine";
	}

	@Override
	public void start() {
		synchronized (this.lifecycle) {
			if (this.started || this.stopped) {
				return;
			}
			this.started = true;
			this.containers.forEach(ConcurrentMessageListenerContainer::start);
			if (this.paused) {
				this.containers.forEach(ConcurrentMessageListenerContainer::pause);
			}
		}
		if (this.limits.raised()) {
			logger.warn("max.poll.interval.ms raised to " + this.limits.maxInterval().toMillis() + " ms: a poll of "
					+ this.limits.maxRecords() + " items may take that long, and a consumer that does not poll "
					+ "within the interval loses its partitions and the items it runs are run again");
		}
		logger.info("Classic engine taking items of " + this.queues + ": " + this.concurrency
				+ " consumers for items and " + this.concurrency + " for retries, max.poll.records="
				+ this.limits.maxRecords() + ", max.poll.interval.ms=" + this.limits.maxInterval().toMillis());
	}

	@Override
	public void pause() {
		synchronized (this.lifecycle) {
			this.paused = true;
			this.inFlight.close();
			if (this.started && !this.stopped) {
				this.containers.forEach(ConcurrentMessageListenerContainer::pause);
			}
		}
	}

	@Override
	public void resume() {
		synchronized (this.lifecycle) {
			if (this.stopped) {
				return;
			}
			this.paused = false;
			this.inFlight.open();
			if (this.started) {
				this.containers.forEach(ConcurrentMessageListenerContainer::resume);
			}
		}
	}

	/**
	 * Stops taking items, lets the items in flight finish until shortly before
	 * {@code deadline}, then hands back those still running (uncommitted, so another
	 * agent runs them) and stops the consumers. Returns by the deadline.
	 */
	@Override
	public void drain(Duration deadline) {
		long deadlineNanos = System.nanoTime() + deadline.toNanos();
		Duration allowance = (deadline.dividedBy(4).compareTo(STOP_ALLOWANCE) < 0) ? deadline.dividedBy(4)
				: STOP_ALLOWANCE;
		pause();
		try {
			if (!this.inFlight.awaitIdle(deadlineNanos - allowance.toNanos())) {
				logger.info("Drain deadline reached: handing " + this.inFlight.size()
						+ " items in flight back to Kafka, uncommitted");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		stopBy(deadlineNanos);
	}

	/**
	 * Stops at once: items in flight are handed back uncommitted. Does nothing a second
	 * time.
	 */
	@Override
	public void stop() {
		stopBy(System.nanoTime() + STOP_TIMEOUT.toNanos());
	}

	private void stopBy(long deadlineNanos) {
		synchronized (this.lifecycle) {
			if (this.stopped) {
				return;
			}
			this.stopped = true;
		}
		CountDownLatch consumersStopped = new CountDownLatch(this.containers.size());
		// stop first: a consumer whose delivery is interrupted then exits instead of
		// taking the next
		this.containers.forEach((container) -> container.stop(consumersStopped::countDown));
		this.inFlight.handBack();
		try {
			if (!consumersStopped.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
				logger.warn("Classic engine consumers still stopping at the deadline; they finish in the background");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public Readiness readiness() {
		synchronized (this.lifecycle) {
			if (this.stopped) {
				return Readiness.notReady("stopped taking items");
			}
			if (!this.started) {
				return Readiness.notReady("not taking items yet");
			}
		}
		boolean consuming = this.containers.stream()
			.allMatch((container) -> container.isRunning() && container.isChildRunning());
		return consuming
				? Readiness.ready("taking items of " + this.queues + " with " + this.concurrency + " consumers")
				: Readiness.notReady("a consumer of " + this.queues + " stopped");
	}

}
