package dev.outrigger.work.agent.share;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.outrigger.work.agent.Attempt;
import dev.outrigger.work.agent.Verdict;
import dev.outrigger.work.status.StatusUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One record's way through the runner, on its own virtual thread: it waits for its turn
 * among the agent's concurrency, runs, gives the turn up once the worker has answered,
 * waits until Kafka has the outcome (or out a retry's backoff, while its consumer keeps
 * the record locked), and settles with the acknowledgement its consumer must send. A
 * delivery that cannot finish — the agent stops, Kafka did not take the outcome — hands
 * its record back.
 */
final class Delivery implements Runnable {

	private static final Log logger = LogFactory.getLog(Delivery.class);

	/**
	 * How long a hand-back waits for the agent's idle consumers to close while it winds
	 * down.
	 */
	private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(1);

	private final ConsumerRecord<String, byte[]> record;

	private final RecordProcessor processor;

	private final HandBack handBack;

	private final Intake intake;

	private final Consumer<Settlement> settlements;

	private final AtomicReference<Stage> stage;

	private final Thread thread;

	private Delivery(ConsumerRecord<String, byte[]> record, boolean runnable, Work work,
			Consumer<Settlement> settlements) {
		this.record = record;
		this.processor = work.processor();
		this.handBack = work.handBack();
		this.intake = work.intake();
		this.settlements = settlements;
		this.stage = new AtomicReference<>(runnable ? Stage.WAITING : Stage.HANDED_BACK);
		this.thread = Thread.ofVirtual().name("share-item-" + RecordKey.of(record)).unstarted(this);
	}

	/**
	 * Starts delivering {@code record}.
	 * @param runnable false to hand the record straight back without running it
	 * @param settlements where the delivery reports how the record must be acknowledged
	 */
	static Delivery start(ConsumerRecord<String, byte[]> record, boolean runnable, Work work,
			Consumer<Settlement> settlements) {
		Delivery delivery = new Delivery(record, runnable, work, settlements);
		work.intake().started(delivery);
		delivery.thread.start();
		return delivery;
	}

	ConsumerRecord<String, byte[]> record() {
		return this.record;
	}

	RecordKey key() {
		return RecordKey.of(this.record);
	}

	@Override
	public void run() {
		AcknowledgeType type;
		try {
			type = deliver();
		}
		catch (InterruptedException | StatusUnavailableException ex) {
			type = handBack();
		}
		catch (RuntimeException ex) {
			logger.warn("Handing back the record at " + key() + " after an unexpected failure", ex);
			type = handBack();
		}
		this.stage.set(Stage.FINISHED);
		this.intake.finished(this);
		this.settlements.accept(new Settlement(this, type));
	}

	private AcknowledgeType deliver() throws InterruptedException {
		if (!this.intake.taking()) {
			this.stage.set(Stage.HANDED_BACK);
		}
		if (this.stage.get() == Stage.HANDED_BACK) {
			return handBack();
		}
		this.intake.acquireTurn();
		if (!this.stage.compareAndSet(Stage.WAITING, Stage.RUNNING)) {
			this.intake.releaseTurn();
			return handBack();
		}
		Attempt attempt;
		try {
			attempt = this.processor.process(this.record);
		}
		finally {
			// the worker is through with the item: the next one may run while Kafka
			// confirms the outcome
			this.intake.releaseTurn();
		}
		return switch (this.processor.settle(this.record, attempt)) {
			case Verdict.Done done -> AcknowledgeType.ACCEPT;
			case Verdict.DeadLetter dead -> AcknowledgeType.REJECT;
			case Verdict.Retry retry -> {
				backOff(retry.backoff());
				yield handBack();
			}
		};
	}

	private AcknowledgeType handBack() {
		if (!this.intake.taking()) {
			this.intake.awaitNoFetches(System.nanoTime() + QUIET_TIMEOUT.toNanos());
		}
		return this.handBack.of(this.record);
	}

	/**
	 * Share groups redeliver a released record at once, so the backoff happens before the
	 * release.
	 */
	private void backOff(Duration backoff) throws InterruptedException {
		this.stage.set(Stage.BACKING_OFF);
		if (!this.intake.windingDown()) {
			Thread.sleep(backoff);
		}
	}

	/**
	 * Pausing or draining: a delivery that has not started running gives its record back.
	 */
	void handBackIfWaiting() {
		if (this.stage.compareAndSet(Stage.WAITING, Stage.HANDED_BACK)) {
			this.thread.interrupt();
		}
	}

	/** Draining: a delivery waiting out a backoff gives its record back now. */
	void cutBackoff() {
		if (this.stage.get() == Stage.BACKING_OFF) {
			this.thread.interrupt();
		}
	}

	/** Stopping: whatever the delivery is doing, it gives its record back. */
	void interrupt() {
		this.thread.interrupt();
	}

	/**
	 * What every delivery of an agent is run with.
	 *
	 * @param processor runs the record
	 * @param handBack gives records back to Kafka
	 * @param intake the agent's turns and mode
	 */
	record Work(RecordProcessor processor, HandBack handBack, Intake intake) {

	}

	private enum Stage {

		WAITING, RUNNING, BACKING_OFF, HANDED_BACK, FINISHED

	}

}
