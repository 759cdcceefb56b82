package dev.outrigger.work.agent.classic;

import java.time.Clock;
import java.time.Duration;

import dev.outrigger.work.agent.Attempt;
import dev.outrigger.work.agent.DeadLetters;
import dev.outrigger.work.agent.ItemRunner;
import dev.outrigger.work.agent.Verdict;
import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.UnreadableItemException;
import dev.outrigger.work.item.WorkItem;
import dev.outrigger.work.status.StatusUnavailableException;
import dev.outrigger.work.topic.QueueTopics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.listener.AcknowledgingMessageListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.Acknowledgment;

/**
 * Takes one delivery from a queue's items or retry topic on a consumer thread: waits out
 * a retry that is not due yet, runs the item, carries out the verdict (nothing, a copy on
 * the retry topic, or a dead letter) and acknowledges the delivery — or hands it back
 * uncommitted.
 * <p>
 * Every delivery is either acknowledged or handed back with {@link Acknowledgment#nack},
 * which seeks it and the rest of the poll back: in manual ack mode a later acknowledgment
 * in the same partition would otherwise commit past a delivery that never finished.
 * Waiting is a nack with a sleep, which pauses the consumer while it keeps polling, so a
 * wait never costs the group membership. A succeeded delivery is held while Kafka
 * confirms its outcome and the consumer runs the next one ({@link UnconfirmedOutcomes}).
 * Failures this class does not expect go to the container's error handler.
 */
final class DeliveryListener implements AcknowledgingMessageListener<String, byte[]>, ConsumerSeekAware {

	private static final Log logger = LogFactory.getLog(DeliveryListener.class);

	/**
	 * How long a delivery whose outcome could not be recorded waits before it runs again.
	 */
	static final Duration STATUS_RETRY_PAUSE = Duration.ofSeconds(1);

	private final ItemRunner runner;

	private final ItemJson json;

	private final QueueTopics topics;

	private final RetryTopic retries;

	private final DeadLetters deadLetters;

	private final InFlight inFlight;

	private final UnconfirmedOutcomes unconfirmed;

	private final Duration longestBackoff;

	private final Clock clock;

	DeliveryListener(ItemRunner runner, ItemJson json, QueueTopics topics, RetryTopic retries, DeadLetters deadLetters,
			InFlight inFlight, UnconfirmedOutcomes unconfirmed, Duration longestBackoff, Clock clock) {
		this.runner = runner;
		this.json = json;
		this.topics = topics;
		this.retries = retries;
		this.deadLetters = deadLetters;
		this.inFlight = inFlight;
		this.unconfirmed = unconfirmed;
		this.longestBackoff = longestBackoff;
		this.clock = clock;
	}

	@Override
	public void onMessage(ConsumerRecord<String, byte[]> delivery, Acknowledgment acknowledgment) {
		String queue = this.topics.queueOf(delivery.topic());
		RetryHeaders retry = delivery.topic().equals(this.topics.retry(queue)) ? RetryHeaders.read(delivery.headers())
				: RetryHeaders.FIRST;
		Duration wait = retry.waitFrom(this.clock.instant());
		if (wait.isPositive()) {
			// no agent writes a due time beyond the longest backoff: more is another
			// agent's clock skew
			handBack(acknowledgment, (wait.compareTo(this.longestBackoff) > 0) ? this.longestBackoff : wait);
			return;
		}
		if (!this.inFlight.enter()) {
			// paused or draining: back to Kafka untouched
			handBack(acknowledgment, Duration.ZERO);
			return;
		}
		try {
			deliver(delivery, acknowledgment, queue, retry.attempt());
		}
		catch (InterruptedException ex) {
			// the agent is stopping: uncommitted, the delivery runs again on another
			// agent
			acknowledgment.nack(Duration.ZERO);
		}
		catch (StatusUnavailableException ex) {
			if (this.inFlight.handingBack()) {
				acknowledgment.nack(Duration.ZERO);
			}
			else {
				logger.warn("Handing back " + where(delivery) + " to run again: " + ex.getMessage());
				acknowledgment.nack(STATUS_RETRY_PAUSE);
			}
		}
		catch (RuntimeException ex) {
			if (!this.inFlight.handingBack()) {
				throw ex;
			}
			acknowledgment.nack(Duration.ZERO);
		}
		finally {
			this.inFlight.exit();
		}
	}

	@Override
	public void registerSeekCallback(ConsumerSeekCallback callback) {
		this.unconfirmed.register(callback);
	}

	@Override
	public void unregisterSeekCallback() {
		this.unconfirmed.unregister();
	}

	/**
	 * Hands {@code acknowledgment}'s delivery back after settling the one held before it.
	 */
	private void handBack(Acknowledgment acknowledgment, Duration pause) {
		this.unconfirmed.settleOrRunAgain();
		acknowledgment.nack(pause);
	}

	/**
	 * Runs the delivery while the outcome of the one before it is confirmed, settles that
	 * one, then holds this one (succeeded) or acts on its confirmed verdict and
	 * acknowledges it.
	 * @throws StatusUnavailableException if either outcome was not recorded; this
	 * delivery must be handed back
	 */
	private void deliver(ConsumerRecord<String, byte[]> delivery, Acknowledgment acknowledgment, String queue,
			int attempt) throws InterruptedException {
		Attempt outcome;
		try {
			outcome = run(delivery, queue, attempt);
		}
		finally {
			this.unconfirmed.settle();
		}
		switch (outcome.verdict()) {
			case Verdict.Done done -> {
				this.unconfirmed.hold(delivery, acknowledgment, outcome.recorded());
				return;
			}
			case Verdict.Retry retry -> {
				outcome.confirmed();
				this.retries.schedule(delivery, queue, attempt + 1, retry.backoff());
			}
			case Verdict.DeadLetter dead -> {
				outcome.confirmed();
				this.deadLetters.publish(delivery, dead.reason());
			}
		}
		acknowledgment.acknowledge();
	}

	private Attempt run(ConsumerRecord<String, byte[]> delivery, String queue, int attempt)
			throws InterruptedException {
		WorkItem item;
		try {
			item = read(delivery);
		}
		catch (UnreadableItemException ex) {
			return Attempt.settled(this.runner.unreadable(queue, delivery.topic(), delivery.partition(),
					delivery.offset(), ex.getMessage()));
		}
		return this.runner.attempt(item, attempt);
	}

	private WorkItem read(ConsumerRecord<String, byte[]> delivery) throws UnreadableItemException {
		if (delivery.value() == null) {
			throw new UnreadableItemException("not a work item: the record has no value");
		}
		return this.json.readItem(delivery.value());
	}

	static String where(ConsumerRecord<?, ?> delivery) {
		return delivery.topic() + "-" + delivery.partition() + "@" + delivery.offset();
	}

}
