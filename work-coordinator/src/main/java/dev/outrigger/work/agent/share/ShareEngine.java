package dev.outrigger.work.agent.share;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.outrigger.kit.lifecycle.Readiness;
import dev.outrigger.work.WorkProperties;
import dev.outrigger.work.agent.DeadLetters;
import dev.outrigger.work.agent.EngineContext;
import dev.outrigger.work.agent.WorkEngine;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;

/**
 * Takes items from Kafka share groups (KIP-932, Kafka 4.2 or later): every agent of a
 * deployment is a member of one share group on the items topics of its queues, and Kafka
 * hands each record to one member at a time, locked for the group's record lock.
 * <p>
 * Two share consumers, each on its own thread, fetch up to {@code concurrency} records at
 * a time; each record runs on its own virtual thread once one of the agent's
 * {@code concurrency} turns is free, and gives the turn up as soon as the worker has
 * answered: the wait for Kafka to confirm the outcome — which comes before the record's
 * acknowledgement — takes no turn. A Kafka 4.2 share consumer fetches nothing new until
 * every record it returned is acknowledged, so while one consumer waits for the last
 * record of its batch the other's batch keeps the turns busy. Records are acknowledged
 * ACCEPT when done, REJECT once dead-lettered, and RELEASE to run again — after a retry's
 * backoff, which the engine waits out itself because Kafka redelivers a released record
 * at once. A record running longer than half its lock is renewed. Kafka archives a record
 * silently after its delivery limit, so an item's last attempt is the last delivery Kafka
 * allows, and a record handed back at that limit is written to its topic again instead.
 */
public final class ShareEngine implements WorkEngine {

	private static final Log logger = LogFactory.getLog(ShareEngine.class);

	static final int CONSUMERS = 2;

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Of a drain's deadline, the part kept for handing records back and closing
	 * consumers.
	 */
	private static final Duration HAND_BACK_TIME = Duration.ofSeconds(2);

	private final EngineContext context;

	private final Admin admin;

	private final Intake intake;

	private final List<ShareConsumerLoop> loops = new CopyOnWriteArrayList<>();

	private volatile boolean started;

	public ShareEngine(EngineContext context, Admin admin) {
		this.context = context;
		this.admin = admin;
		this.intake = new Intake(context.properties().concurrency());
	}

	@Override
	public String name() {
		return "share-engine";
	}

	@Override
	public synchronized void start() {
		if (this.started || this.intake.windingDown()) {
			return;
		}
		WorkProperties properties = this.context.properties();
		ShareGroupLimits limits = new ShareGroupSetup(this.admin, properties.group()).prepare();
		if (this.intake.windingDown()) {
			// stopped while Kafka was being asked
			return;
		}
		AttemptBudget budget = new AttemptBudget(limits.deliveryLimit());
		budget.warnAbove(properties.maxAttempts());
		DeadLetters deadLetters = new DeadLetters(this.context.kafkaTemplate(), this.context.topics());
		RecordProcessor processor = new RecordProcessor(this.context.runner(), this.context.json(),
				this.context.topics(), budget, deadLetters);
		Delivery.Work work = new Delivery.Work(processor, new HandBack(this.context.kafkaTemplate(), budget),
				this.intake);
		ShareConsumers consumers = new ShareConsumers(this.context.kafka(), properties.group(),
				properties.concurrency(), fetchWait(limits.recordLock()));
		List<String> topics = properties.queues().stream().map(this.context.topics()::items).toList();
		for (int i = 1; i <= CONSUMERS; i++) {
			ShareConsumerLoop loop = new ShareConsumerLoop("share-" + i, consumers, topics, this.intake, work,
					limits.recordLock());
			this.loops.add(loop);
			loop.start();
		}
		this.started = true;
		logger.info("Share engine taking items of " + properties.queues() + " as share group '" + properties.group()
				+ "': " + CONSUMERS + " consumers fetching up to " + properties.concurrency() + " records each, "
				+ properties.concurrency() + " items at a time; record lock " + limits.recordLock().toMillis()
				+ " ms, delivery limit " + limits.deliveryLimit());
	}

	@Override
	public void pause() {
		this.intake.pause();
		logger.info("Share engine paused: taking no new items; " + this.intake.inFlight() + " in flight may finish");
	}

	@Override
	public void resume() {
		this.intake.resume();
		logger.info("Share engine resumed");
	}

	@Override
	public void drain(Duration deadline) throws InterruptedException {
		long end = System.nanoTime() + deadline.toNanos();
		long handBackAt = end - handBackTime(deadline).toNanos();
		if (this.intake.stopped()) {
			return;
		}
		this.intake.drain();
		logger.info("Share engine draining: " + this.intake.inFlight() + " items in flight may finish within "
				+ Duration.ofNanos(Math.max(0, handBackAt - System.nanoTime())).toMillis()
				+ " ms, then the rest are handed back");
		try {
			this.intake.awaitNone(handBackAt);
		}
		finally {
			stop(end);
		}
	}

	@Override
	public void stop() {
		stop(System.nanoTime() + STOP_TIMEOUT.toNanos());
	}

	private void stop(long deadline) {
		int inFlight = this.intake.inFlight();
		boolean first = this.intake.stop(deadline);
		try {
			for (ShareConsumerLoop loop : this.loops) {
				loop.awaitFinished(deadline);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (first && this.started) {
			logger.info("Share engine stopped"
					+ ((inFlight > 0) ? "; " + inFlight + " items in flight were handed back" : ""));
		}
	}

	@Override
	public Readiness readiness() {
		if (this.intake.stopped()) {
			return Readiness.notReady("stopped");
		}
		if (!this.started) {
			return Readiness.notReady("share consumers not started yet");
		}
		long running = this.loops.stream().filter(ShareConsumerLoop::running).count();
		if (running < this.loops.size()) {
			return Readiness.notReady((this.loops.size() - running) + " of " + this.loops.size()
					+ " share consumers have died; see the log");
		}
		return Readiness.ready(running + " share consumers on " + this.context.properties().queues());
	}

	/**
	 * A renewal waits behind a fetch in flight, so fetches wait a small part of the lock.
	 */
	private static Duration fetchWait(Duration recordLock) {
		long millis = Math.clamp(recordLock.toMillis() / 8, 50, 500);
		return Duration.ofMillis(millis);
	}

	private static Duration handBackTime(Duration deadline) {
		Duration quarter = deadline.dividedBy(4);
		return (quarter.compareTo(HAND_BACK_TIME) < 0) ? quarter : HAND_BACK_TIME;
	}

}
