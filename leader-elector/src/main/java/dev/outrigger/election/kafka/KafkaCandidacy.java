package dev.outrigger.election.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.outrigger.election.Candidacy;
import dev.outrigger.election.ElectionObserver;
import dev.outrigger.election.ElectionTimings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

/**
 * One candidate campaigning in one election: a member of the election's consumer group,
 * which leads while the group coordinator assigns it partition 0 and it has committed a
 * term.
 * <p>
 * One platform thread owns every Kafka client of the candidacy (a {@code KafkaConsumer}
 * is not thread-safe) and runs the loop: poll the group, read epoch records, begin a term
 * when partition 0 arrives. {@link #resign()} and {@link #stop()} only set flags and
 * report through the {@link LeaderView}; the loop acts on them within one poll interval.
 * A watchdog on the backend's scheduler ends the term when the coordinator has not been
 * heard from (see {@link Renewals}).
 */
final class KafkaCandidacy implements Candidacy {

	private static final Log logger = LogFactory.getLog(KafkaCandidacy.class);

	private final String election;

	private final String candidate;

	private final String topic;

	private final TopicPartition partition;

	private final ElectionTimings timings;

	private final ElectionAdmin admin;

	private final ClientSettings settings;

	private final LeaderView view;

	private final Renewals renewals;

	private final Consumer<KafkaCandidacy> onStopped;

	private final Thread thread;

	private final AtomicBoolean stopped = new AtomicBoolean();

	private volatile boolean abandoned;

	private volatile long progressedAt;

	private volatile long giveUpNanos;

	private volatile @Nullable ScheduledFuture<?> watchdog;

	// the rest is owned by the poll thread

	private @Nullable GroupTimings groupTimings;

	private @Nullable KafkaConsumer<String, String> member;

	private @Nullable EpochReader reader;

	private @Nullable TermWriter writer;

	/** Whether the group assigned partition 0 to this member. */
	private boolean holding;

	/** The epoch of the term this candidate leads, 0 when none. */
	private long term;

	private long nextAttemptAt;

	private long rejoinAt;

	/**
	 * After resigning: rejoin early once a term newer than this one began, so another
	 * leads.
	 */
	private long successorOf;

	/** The failure last logged, while it lasts. */
	private @Nullable String trouble;

	KafkaCandidacy(String election, String candidate, String topic, ElectionTimings timings, ElectionAdmin admin,
			ClientSettings settings, ElectionObserver observer, Consumer<KafkaCandidacy> onStopped) {
		this.election = election;
		this.candidate = candidate;
		this.topic = topic;
		this.partition = new TopicPartition(topic, 0);
		this.timings = timings;
		this.admin = admin;
		this.settings = settings;
		this.view = new LeaderView(election, candidate, observer);
		long now = System.nanoTime();
		this.renewals = new Renewals(now);
		this.progressedAt = now;
		this.rejoinAt = now;
		this.nextAttemptAt = now;
		this.giveUpNanos = timings.renewDeadline().toNanos();
		this.onStopped = onStopped;
		this.thread = Thread.ofPlatform()
			.daemon(true)
			.name("outrigger-election-kafka-" + election + "-" + candidate)
			.unstarted(this::run);
	}

	void start(ScheduledExecutorService scheduler) {
		long every = GroupTimings.withDefaultBounds(this.timings).pollInterval().toNanos();
		this.watchdog = scheduler.scheduleWithFixedDelay(this::checkRenewal, every, every, TimeUnit.NANOSECONDS);
		this.thread.start();
	}

	@Override
	public void resign() {
		if (!this.stopped.get()) {
			this.view.resign();
		}
	}

	@Override
	public void stop() {
		if (!this.stopped.compareAndSet(false, true)) {
			return;
		}
		// the app hears it no longer leads before anyone else can start
		this.view.close();
		finish();
	}

	/**
	 * Simulates a crash, for tests: the candidacy falls silent and closes its clients
	 * without leaving the group or releasing its term, so the group coordinator notices
	 * only when the session times out, as with a killed process.
	 */
	void abandon() {
		if (!this.stopped.compareAndSet(false, true)) {
			return;
		}
		this.view.silence();
		this.abandoned = true;
		finish();
	}

	private void finish() {
		ScheduledFuture<?> watchdog = this.watchdog;
		if (watchdog != null) {
			watchdog.cancel(false);
		}
		LockSupport.unpark(this.thread);
		if (Thread.currentThread() != this.thread) {
			try {
				if (!this.thread.join(this.timings.renewDeadline())) {
					logger.warn(describe() + " did not finish leaving the group within the renew deadline "
							+ this.timings.renewDeadline().toMillis() + "ms; it goes on in the background");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.onStopped.accept(this);
	}

	private boolean running() {
		return !this.stopped.get();
	}

	private void run() {
		try {
			if (prepare()) {
				while (running()) {
					try {
						turn(requireTimings());
						untroubled();
					}
					catch (RuntimeException ex) {
						// Kafka's own exceptions say enough; anything else is a bug worth
						// its stack trace
						trouble("left the group after an error and rejoins", ex, !(ex instanceof KafkaException));
						stepDown(true, false);
					}
				}
			}
		}
		catch (RuntimeException | Error ex) {
			logger.warn(describe() + " stopped campaigning after an unexpected error: " + ex, ex);
			this.view.close();
		}
		finally {
			shutdown();
		}
	}

	/**
	 * Creates the topic if needed and learns the group timings, retrying until Kafka
	 * answers.
	 */
	private boolean prepare() {
		Duration timeout = this.timings.renewDeadline();
		while (running()) {
			this.progressedAt = System.nanoTime();
			try {
				this.admin.ensureTopic(this.topic, timeout);
				GroupTimings groupTimings = this.admin.groupTimings(timeout);
				this.groupTimings = groupTimings;
				this.giveUpNanos = groupTimings.giveUpAfter().toNanos();
				untroubled();
				return true;
			}
			catch (ExecutionException | TimeoutException | KafkaException ex) {
				Throwable cause = (ex instanceof ExecutionException && ex.getCause() != null) ? ex.getCause() : ex;
				trouble("cannot create or find topic '" + this.topic + "'", cause, false);
				pause(this.timings.retryPeriod());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return false;
	}

	private void turn(GroupTimings timings) {
		long now = System.nanoTime();
		this.progressedAt = now;
		if (this.reader == null) {
			this.reader = new EpochReader(this.election, this.partition, this.settings.reader(purpose("reader")),
					timings.retryPeriod());
		}
		KafkaConsumer<String, String> member = this.member;
		if (member == null) {
			if (now - this.rejoinAt < 0 && !succeeded()) {
				readEpochs(timings.pollInterval());
				return;
			}
			this.successorOf = 0;
			member = join(timings);
		}
		member.poll(timings.pollInterval());
		checkRenewal();
		readEpochs(Duration.ZERO);
		if (this.view.resigning()) {
			if (this.holding || this.term != 0) {
				stepAside();
			}
			this.view.resigned();
			return;
		}
		if (this.term != 0 && !this.view.leads(this.term)) {
			// stop() ended the term: leave and record the release; otherwise the watchdog
			// gave the
			// term up or a newer term exists, so this membership is not to be trusted:
			// start afresh
			boolean stopping = !running();
			stepDown(!stopping, stopping);
			return;
		}
		if (this.holding && this.term == 0 && now - this.nextAttemptAt >= 0) {
			beginTerm(timings);
		}
	}

	private KafkaConsumer<String, String> join(GroupTimings timings) {
		KafkaConsumer<String, String> member = new KafkaConsumer<>(
				this.settings.member(this.topic, purpose("member"), timings), new StringDeserializer(),
				new StringDeserializer());
		try {
			this.renewals.watch(member, System.nanoTime());
			member.subscribe(List.of(this.topic), new Membership(member));
		}
		catch (RuntimeException ex) {
			member.close(CloseOptions.timeout(Duration.ZERO));
			throw ex;
		}
		this.member = member;
		return member;
	}

	/**
	 * Fences older writers, reads the last term, commits the next one, and only then, if
	 * the partition is still held and the coordinator still heard, reports this candidate
	 * as leader.
	 */
	private void beginTerm(GroupTimings timings) {
		long started = System.nanoTime();
		this.nextAttemptAt = started + timings.retryPeriod().toNanos();
		EpochReader reader = requireReader();
		try {
			TermWriter writer = this.writer;
			if (writer == null) {
				writer = new TermWriter(this.topic, this.election,
						this.settings.writer(this.topic, purpose("writer"), timings));
				this.writer = writer;
			}
			writer.fence();
			long fenced = System.nanoTime();
			EpochRecord last = reader.readToEnd(timings.clientTimeout(), timings.pollInterval());
			long read = System.nanoTime();
			EpochRecord began = EpochRecord.began(((last != null) ? last.epoch() : 0) + 1, this.candidate);
			writer.write(began);
			long committed = System.nanoTime();
			// run the rebalance callbacks that came due meanwhile before claiming
			// anything
			KafkaConsumer<String, String> member = this.member;
			if (member != null) {
				member.poll(Duration.ZERO);
			}
			this.progressedAt = System.nanoTime();
			checkRenewal();
			if (this.holding && this.view.lead(began.epoch())) {
				this.term = began.epoch();
				if (logger.isDebugEnabled()) {
					logger.debug(describe() + " began term " + began.epoch() + " (fencing took "
							+ millis(fenced - started) + "ms, reading " + millis(read - fenced) + "ms, committing "
							+ millis(committed - read) + "ms)");
				}
				return;
			}
			logger.debug(describe() + " committed term " + began.epoch()
					+ " but may not claim it any more (partition 0 lost, coordinator unheard, resigning or stopped)");
			release(began.epoch());
			if (this.holding) {
				stepDown(true, false);
			}
		}
		catch (ProducerFencedException | InvalidProducerEpochException ex) {
			logger.debug(describe() + " was fenced by another candidate beginning a term; it rejoins");
			closeWriter();
			stepDown(true, false);
		}
		catch (KafkaException ex) {
			logger.warn(describe() + " holds partition 0 but could not begin a term, retrying in "
					+ timings.retryPeriod().toMillis() + "ms: " + ex);
			closeWriter();
		}
	}

	/**
	 * Steps down and stays out of the group until another candidate began a term, or a
	 * lease passed with none doing so (then this one may win again): rejoining sooner
	 * could win the very rebalance its leaving started.
	 */
	private void stepAside() {
		EpochRecord latest = requireReader().latest();
		long resigned = Math.max(this.term, (latest != null) ? latest.epoch() : 0);
		logger.debug(describe() + " resigns; it rejoins once another candidate began a term");
		stepDown(true, true);
		this.successorOf = resigned;
		this.rejoinAt = System.nanoTime() + this.timings.leaseDuration().toNanos();
	}

	private boolean succeeded() {
		EpochRecord latest = (this.reader != null) ? this.reader.latest() : null;
		return this.successorOf != 0 && latest != null && latest.epoch() > this.successorOf && latest.leader() != null
				&& !latest.leader().equals(this.candidate);
	}

	/**
	 * Reports loss, leaves the group, records the release of the term it led, closes the
	 * writer.
	 */
	private void stepDown(boolean rejoin, boolean release) {
		long ended = this.term;
		this.term = 0;
		this.holding = false;
		this.view.stepDown();
		leaveGroup(GroupMembershipOperation.LEAVE_GROUP);
		if (release && ended != 0) {
			release(ended);
		}
		closeWriter();
		Duration wait = rejoin ? this.timings.retryPeriod() : Duration.ZERO;
		this.rejoinAt = System.nanoTime() + wait.toNanos();
	}

	/**
	 * Tells followers nobody leads now; harmless if a newer term already fenced this
	 * writer.
	 */
	private void release(long epoch) {
		TermWriter writer = this.writer;
		if (writer == null) {
			return;
		}
		try {
			writer.write(EpochRecord.released(epoch));
		}
		catch (ProducerFencedException | InvalidProducerEpochException ex) {
			logger.debug(describe() + " did not record the release of term " + epoch + ": a newer term began");
		}
		catch (KafkaException ex) {
			logger.warn(describe() + " could not record the release of term " + epoch + ": " + ex);
		}
	}

	private void leaveGroup(GroupMembershipOperation operation) {
		KafkaConsumer<String, String> member = this.member;
		if (member == null) {
			return;
		}
		this.member = null;
		Duration timeout = (operation == GroupMembershipOperation.LEAVE_GROUP) ? requireTimings().clientTimeout()
				: Duration.ZERO;
		try {
			member.close(CloseOptions.groupMembershipOperation(operation).withTimeout(timeout));
		}
		catch (KafkaException ex) {
			logger.warn(describe() + " could not leave the group cleanly: " + ex);
		}
	}

	private void closeWriter() {
		TermWriter writer = this.writer;
		this.writer = null;
		if (writer != null) {
			try {
				writer.close();
			}
			catch (KafkaException ex) {
				logger.warn(describe() + " could not close its transactional producer: " + ex);
			}
		}
	}

	private void shutdown() {
		if (this.abandoned) {
			// a crash: no LeaveGroup, no release, the term just stops being renewed
			leaveGroup(GroupMembershipOperation.REMAIN_IN_GROUP);
			closeWriter();
		}
		else if (this.groupTimings != null) {
			stepDown(false, true);
		}
		EpochReader reader = this.reader;
		this.reader = null;
		if (reader != null) {
			try {
				reader.close();
			}
			catch (KafkaException ex) {
				logger.warn(describe() + " could not close its epoch reader: " + ex);
			}
		}
	}

	private void readEpochs(Duration timeout) {
		EpochReader reader = requireReader();
		if (reader.poll(timeout)) {
			this.view.learned(reader.latest());
		}
	}

	/**
	 * Ends the term once the coordinator has not been heard (or the poll loop has not
	 * moved) for the give-up time; runs on the watchdog and on the poll thread.
	 */
	private void checkRenewal() {
		long now = System.nanoTime();
		this.renewals.sample(now);
		long unheard = this.renewals.sinceRenewal(now);
		long stalled = now - this.progressedAt;
		long giveUp = this.giveUpNanos;
		if (this.view.connected(unheard <= giveUp && stalled <= giveUp)) {
			String why = (unheard > giveUp)
					? "no response from the group coordinator for " + TimeUnit.NANOSECONDS.toMillis(unheard) + "ms"
					: "its poll loop stalled for " + TimeUnit.NANOSECONDS.toMillis(stalled) + "ms";
			logger.warn(describe() + " stopped leading, before the coordinator could hand partition 0 to another "
					+ "candidate: " + why);
		}
	}

	/**
	 * Logs a failure once while it lasts, and again only when it changes: a wrong
	 * password would otherwise log a line every retry period. Readiness carries it
	 * meanwhile.
	 */
	private void trouble(String what, Throwable cause, boolean trace) {
		String problem = what + ": " + cause;
		if (problem.equals(this.trouble)) {
			logger.debug(describe() + " " + problem + " (again)");
			return;
		}
		this.trouble = problem;
		String line = describe() + " " + problem + "; retrying every " + this.timings.retryPeriod().toMillis()
				+ "ms, logged again only if the cause changes";
		if (trace) {
			logger.warn(line, cause);
		}
		else {
			logger.warn(line);
		}
		this.view.problem(problem);
	}

	private void untroubled() {
		if (this.trouble != null) {
			this.trouble = null;
			logger.info(describe() + " reaches Kafka again");
			this.view.problem(null);
		}
	}

	private void pause(Duration duration) {
		long until = System.nanoTime() + duration.toNanos();
		long left;
		while (running() && (left = until - System.nanoTime()) > 0) {
			LockSupport.parkNanos(this, left);
		}
	}

	private GroupTimings requireTimings() {
		GroupTimings groupTimings = this.groupTimings;
		if (groupTimings == null) {
			throw new IllegalStateException("Group timings not known yet");
		}
		return groupTimings;
	}

	private EpochReader requireReader() {
		EpochReader reader = this.reader;
		if (reader == null) {
			throw new IllegalStateException("Epoch reader not open yet");
		}
		return reader;
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	/**
	 * The client's purpose, so its id reads
	 * {@code outrigger-election-<election>-<candidate>-<role>}.
	 */
	private String purpose(String role) {
		return this.election + "-" + this.candidate + "-" + role;
	}

	private String describe() {
		return "Election '" + this.election + "': candidate '" + this.candidate + "'";
	}

	/**
	 * Follows partition 0 through the group's rebalances; runs on the poll thread, inside
	 * poll.
	 */
	private final class Membership implements ConsumerRebalanceListener {

		private final KafkaConsumer<String, String> consumer;

		Membership(KafkaConsumer<String, String> consumer) {
			this.consumer = consumer;
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
			if (partitions.contains(KafkaCandidacy.this.partition)) {
				// the member only holds the partition; the epoch reader reads it
				this.consumer.pause(List.of(KafkaCandidacy.this.partition));
				KafkaCandidacy.this.holding = true;
				KafkaCandidacy.this.nextAttemptAt = System.nanoTime();
				logger.debug(describe() + " was assigned partition 0");
			}
		}

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			if (partitions.contains(KafkaCandidacy.this.partition)) {
				lose(false);
			}
		}

		@Override
		public void onPartitionsLost(Collection<TopicPartition> partitions) {
			if (partitions.contains(KafkaCandidacy.this.partition)) {
				lose(true);
			}
		}

		private void lose(boolean lost) {
			KafkaCandidacy.this.holding = false;
			long ended = KafkaCandidacy.this.term;
			if (ended == 0) {
				return;
			}
			KafkaCandidacy.this.term = 0;
			KafkaCandidacy.this.view.stepDown();
			if (lost) {
				logger.warn(describe() + " lost partition 0 (its group membership expired) and with it term " + ended);
			}
			else {
				logger.debug(describe() + " gave partition 0 back in a rebalance, ending term " + ended);
			}
		}

	}

}
