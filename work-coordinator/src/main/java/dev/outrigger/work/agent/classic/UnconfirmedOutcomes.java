package dev.outrigger.work.agent.classic;

import java.util.concurrent.CompletableFuture;

import dev.outrigger.work.status.KafkaWrites;
import dev.outrigger.work.status.StatusUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.ConsumerSeekAware.ConsumerSeekCallback;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.util.Assert;

/**
 * Each classic consumer's last succeeded delivery whose outcome Kafka has not confirmed
 * yet. The consumer runs its next delivery meanwhile, and acknowledges the held one once
 * the write is confirmed: before it acknowledges or hands back that next delivery, and at
 * the latest when it is through with a poll's records (spring-kafka calls
 * {@link #clearThreadState} then, before it commits), so acknowledgements stay in order
 * and a commit never passes an unconfirmed outcome.
 * <p>
 * If Kafka does not take the held outcome, the held delivery is sought back to run again:
 * the seek is queued on the consumer's {@link ConsumerSeekCallback}, which spring-kafka
 * carries out before its next poll, after any seek of a hand-back ({@code nack}) of the
 * delivery at hand — so the earlier offset wins even when both are in one partition.
 */
final class UnconfirmedOutcomes implements RecordInterceptor<String, byte[]> {

	private static final Log logger = LogFactory.getLog(UnconfirmedOutcomes.class);

	private final InFlight inFlight;

	private final ThreadLocal<@Nullable Held> held = new ThreadLocal<>();

	private final ThreadLocal<@Nullable ConsumerSeekCallback> seeks = new ThreadLocal<>();

	UnconfirmedOutcomes(InFlight inFlight) {
		this.inFlight = inFlight;
	}

	/**
	 * The calling consumer's seek callback, for seeking back a delivery whose outcome was
	 * lost.
	 */
	void register(ConsumerSeekCallback callback) {
		this.seeks.set(callback);
	}

	void unregister() {
		this.seeks.remove();
	}

	/**
	 * Holds the calling consumer's {@code delivery} until its outcome, {@code recorded},
	 * is confirmed. The consumer must {@link #settle()} any delivery it held before.
	 */
	void hold(ConsumerRecord<?, ?> delivery, Acknowledgment acknowledgment, CompletableFuture<?> recorded) {
		this.held.set(new Held(delivery, acknowledgment, recorded));
		this.inFlight.hold();
	}

	/**
	 * Acknowledges the calling consumer's held delivery, if any, once Kafka has its
	 * outcome. While deliveries are handed back it stops waiting: an outcome not
	 * confirmed by then leaves the delivery uncommitted, to run again elsewhere (where it
	 * is skipped if the outcome did arrive).
	 * @throws StatusUnavailableException if Kafka did not take the outcome: the held
	 * delivery is sought back to run again, and the caller must hand back the delivery at
	 * hand
	 */
	void settle() {
		// in a delivery, the seek back must outlast the hand-back's own seek: queued, it
		// comes after
		settle(this::queueSeekBack);
	}

	private void settle(java.util.function.Consumer<ConsumerRecord<?, ?>> seekBack) {
		Held delivery = this.held.get();
		if (delivery == null) {
			return;
		}
		this.held.remove();
		try {
			KafkaWrites.confirm(delivery.recorded(), this.inFlight::handingBack);
			delivery.acknowledgment().acknowledge();
		}
		catch (RuntimeException ex) {
			seekBack.accept(delivery.record());
			throw new StatusUnavailableException("the outcome of " + DeliveryListener.where(delivery.record())
					+ " was not recorded: " + ex.getMessage());
		}
		finally {
			this.inFlight.release();
		}
	}

	@Override
	public ConsumerRecord<String, byte[]> intercept(ConsumerRecord<String, byte[]> record,
			Consumer<String, byte[]> consumer) {
		return record;
	}

	/**
	 * {@link #settle() Settles} the calling consumer's held delivery where the delivery
	 * at hand, if any, is handed back anyway: a held delivery whose outcome was lost runs
	 * again, with a warning.
	 */
	void settleOrRunAgain() {
		settleOrRunAgain(this::queueSeekBack);
	}

	private void settleOrRunAgain(java.util.function.Consumer<ConsumerRecord<?, ?>> seekBack) {
		try {
			settle(seekBack);
		}
		catch (StatusUnavailableException ex) {
			if (!this.inFlight.handingBack()) {
				logger.warn("Running again: " + ex.getMessage());
			}
		}
	}

	/**
	 * The consumer is through with a poll's records: its held delivery is settled before
	 * the commit. Outside a delivery the consumer seeks back itself (its seek callback
	 * may be gone when it stops).
	 */
	@Override
	public void clearThreadState(Consumer<?, ?> consumer) {
		settleOrRunAgain((record) -> seekQuietly(consumer, record));
	}

	private void queueSeekBack(ConsumerRecord<?, ?> record) {
		ConsumerSeekCallback callback = this.seeks.get();
		Assert.state(callback != null, "a classic consumer runs deliveries only after registering its seek callback");
		callback.seek(record.topic(), record.partition(), record.offset());
	}

	private static void seekQuietly(Consumer<?, ?> consumer, ConsumerRecord<?, ?> record) {
		try {
			consumer.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
		}
		catch (RuntimeException ex) {
			// closed or no longer assigned: uncommitted, the delivery runs again where
			// its partition goes
			logger.debug("Could not seek back " + DeliveryListener.where(record) + ": " + ex.getMessage());
		}
	}

	private record Held(ConsumerRecord<?, ?> record, Acknowledgment acknowledgment, CompletableFuture<?> recorded) {

	}

}
