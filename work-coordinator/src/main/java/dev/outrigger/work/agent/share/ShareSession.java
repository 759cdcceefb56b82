package dev.outrigger.work.agent.share;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * An open share consumer and the records it holds the locks of; used by one thread only.
 * <p>
 * Kafka 4.2's share consumer shapes it. In explicit mode {@code poll()} refuses to run
 * while a record it returned is unacknowledged; RENEW counts as an acknowledgement, and a
 * renewed record is handed back by a later {@code poll()} — which fetches nothing new
 * while any renewal is pending. Meanwhile an empty {@code poll()} leaves a fetch in
 * flight that may acquire records later, whose locks then run before anyone sees them. So
 * a session:
 * <ul>
 * <li>fetches a new batch only once every record of the last one is acknowledged;</li>
 * <li>renews with {@code commitSync()}, which fetches nothing and says which renewals
 * failed, then polls to have the renewed records handed back;</li>
 * <li>sends the acknowledgements of a batch's early finishers with {@code commitAsync()},
 * so they do not wait for its slowest record;</li>
 * <li>dates the lock of each fetched record from the earliest moment it may have been
 * acquired, and hands back unrun a record whose lock may be mostly gone.</li>
 * </ul>
 */
final class ShareSession {

	private static final Log logger = LogFactory.getLog(ShareSession.class);

	/**
	 * How long to poll for renewed records; they come back as soon as the renewal
	 * completed.
	 */
	private static final Duration RETURN_POLL = Duration.ofMillis(50);

	/**
	 * How long acknowledgements may wait to be sent with others while a batch is
	 * unfinished.
	 */
	private static final long ACK_FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final ShareConsumer<String, byte[]> consumer;

	private final Delivery.Work work;

	private final BlockingQueue<Settlement> settlements;

	private final Duration configuredLock;

	private final Map<RecordKey, Held> held = new HashMap<>();

	/** Since when an empty poll may have left a fetch in flight, or -1. */
	private long fetchInFlightSince = -1;

	/**
	 * Whether the last renewal completed, so every renewed record is ready to be handed
	 * back.
	 */
	private boolean renewalsSettled = true;

	/** When the oldest acknowledgement not yet sent was made, or -1. */
	private long unsentSince = -1;

	/**
	 * @param settlements where deliveries report, and the session takes their outcomes
	 * from
	 * @param configuredLock the group's record lock, until the broker reports it with a
	 * fetch
	 */
	ShareSession(ShareConsumer<String, byte[]> consumer, Collection<String> topics, Delivery.Work work,
			BlockingQueue<Settlement> settlements, Duration configuredLock) {
		this.consumer = consumer;
		this.work = work;
		this.settlements = settlements;
		this.configuredLock = configuredLock;
		consumer.subscribe(topics);
	}

	/** Whether the session holds no record: it may fetch, or be closed. */
	boolean isEmpty() {
		return this.held.isEmpty();
	}

	/**
	 * Fetches new records, waiting up to {@code timeout}, and starts a delivery of each.
	 */
	void fetch(Duration timeout) {
		poll(timeout, true);
	}

	/**
	 * Moves the held records along: has renewed records handed back, renews locks half
	 * gone, and acknowledges records whose deliveries settled, waiting up to
	 * {@code maxWaitNanos} for one.
	 */
	void tend(long maxWaitNanos) throws InterruptedException {
		long now = System.nanoTime();
		if (!anyInHand()) {
			settle(0);
			forgetExpiredRenewals(now);
			if (!this.held.isEmpty()) {
				poll(RETURN_POLL, !this.renewalsSettled);
			}
			return;
		}
		long renewAt = renewalDue();
		if (now >= renewAt) {
			renew(now);
			return;
		}
		settle(Math.min(renewAt - now, maxWaitNanos));
		flushIfDue();
	}

	/**
	 * Stopping: acknowledges what settles before {@code deadline}; closing releases the
	 * rest.
	 */
	void settleInHand(long deadline) throws InterruptedException {
		long left = deadline - System.nanoTime();
		while (anyInHand() && left > 0) {
			settle(Math.min(left, ACK_FLUSH_NANOS));
			left = deadline - System.nanoTime();
		}
	}

	/**
	 * Sends what is acknowledged, leaves the group and releases every record still held.
	 */
	void close(Duration timeout) {
		try {
			this.consumer.close(timeout);
		}
		catch (RuntimeException ex) {
			logger.warn("Share consumer did not close cleanly; Kafka releases its records when their locks expire: "
					+ ex.getMessage());
		}
	}

	/**
	 * @param fetching whether this poll may start a fetch: false only when it just has
	 * renewed records handed back after a completed renewal
	 */
	private void poll(Duration timeout, boolean fetching) {
		long started = System.nanoTime();
		ConsumerRecords<String, byte[]> records = this.consumer.poll(timeout);
		this.unsentSince = -1;
		long acquiredAfter = (this.fetchInFlightSince >= 0) ? this.fetchInFlightSince : started;
		List<ConsumerRecord<String, byte[]>> fresh = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			Held known = this.held.get(RecordKey.of(record));
			if (known == null) {
				fresh.add(record);
			}
			else if (!known.inHand()) {
				handedBack(known);
			}
		}
		if (!fresh.isEmpty()) {
			take(fresh, acquiredAfter);
			this.fetchInFlightSince = -1;
		}
		else if (fetching && (this.fetchInFlightSince < 0 || this.held.isEmpty())) {
			// it found nothing buffered, so whatever a fetch brings next is acquired
			// after now
			this.fetchInFlightSince = started;
		}
	}

	private void take(List<ConsumerRecord<String, byte[]>> fresh, long acquiredAfter) {
		// the consumer fetches anew only when no renewal is pending: a record still
		// awaited lost its lock
		this.held.values().removeIf((held) -> !held.inHand());
		boolean lockLeft = System.nanoTime() - acquiredAfter < lock().toNanos() / 2;
		for (ConsumerRecord<String, byte[]> record : fresh) {
			Delivery delivery = Delivery.start(record, lockLeft, this.work, this.settlements::add);
			this.held.put(delivery.key(), new Held(delivery, acquiredAfter));
		}
	}

	private void handedBack(Held held) {
		held.returned();
		AcknowledgeType settled = held.settled();
		if (settled != null) {
			acknowledge(held, settled);
		}
	}

	/**
	 * Renews the lock of every record in hand; they are all in hand since the same poll.
	 */
	private void renew(long now) {
		for (Held held : this.held.values()) {
			if (held.inHand()) {
				this.consumer.acknowledge(held.delivery().record(), AcknowledgeType.RENEW);
				held.renewing(now);
			}
		}
		this.unsentSince = -1;
		try {
			Map<TopicIdPartition, Optional<KafkaException>> results = this.consumer.commitSync(lock().dividedBy(4));
			this.renewalsSettled = true;
			results.forEach((partition, failure) -> failure.ifPresent((ex) -> lostLocks(partition, ex)));
		}
		catch (TimeoutException ex) {
			// the renewals may still complete: polls hand back whatever records they
			// renewed
			this.renewalsSettled = false;
		}
	}

	private void lostLocks(TopicIdPartition partition, KafkaException failure) {
		boolean lost = this.held.values()
			.removeIf((held) -> !held.inHand() && held.delivery().key().topic().equals(partition.topic())
					&& held.delivery().key().partition() == partition.partition());
		if (lost) {
			logger.warn("Kafka did not renew record locks on " + partition.topicPartition() + " ("
					+ failure.getMessage() + "); items running there may be delivered again");
		}
	}

	/**
	 * A renewal that has not come back within a lock's duration failed: the lock is gone
	 * anyway.
	 */
	private void forgetExpiredRenewals(long now) {
		long lock = lock().toNanos();
		this.held.values().removeIf((held) -> !held.inHand() && now - held.lockedAt() > lock);
	}

	private void settle(long waitNanos) throws InterruptedException {
		Settlement settlement = (waitNanos > 0) ? this.settlements.poll(waitNanos, TimeUnit.NANOSECONDS)
				: this.settlements.poll();
		while (settlement != null) {
			apply(settlement);
			settlement = this.settlements.poll();
		}
	}

	private void apply(Settlement settlement) {
		Held held = this.held.get(settlement.delivery().key());
		if (held == null || held.delivery() != settlement.delivery()) {
			// its lock was lost, and Kafka delivers the record again
			return;
		}
		if (held.inHand()) {
			acknowledge(held, settlement.type());
		}
		else {
			held.settle(settlement.type());
		}
	}

	private void acknowledge(Held held, AcknowledgeType type) {
		this.consumer.acknowledge(held.delivery().record(), type);
		this.held.remove(held.delivery().key());
		if (this.unsentSince < 0) {
			this.unsentSince = System.nanoTime();
		}
	}

	/**
	 * While a batch is unfinished no poll sends its acknowledgements, so send them now
	 * and then.
	 */
	private void flushIfDue() {
		if (this.unsentSince >= 0 && System.nanoTime() - this.unsentSince >= ACK_FLUSH_NANOS) {
			this.consumer.commitAsync();
			this.unsentSince = -1;
		}
	}

	private boolean anyInHand() {
		for (Held held : this.held.values()) {
			if (held.inHand()) {
				return true;
			}
		}
		return false;
	}

	private long renewalDue() {
		long half = lock().toNanos() / 2;
		long due = Long.MAX_VALUE;
		for (Held held : this.held.values()) {
			if (held.inHand()) {
				due = Math.min(due, held.lockedAt() + half);
			}
		}
		return due;
	}

	private Duration lock() {
		return this.consumer.acquisitionLockTimeoutMs().map(Duration::ofMillis).orElse(this.configuredLock);
	}

}
