package dev.outrigger.work.agent.share;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.outrigger.work.item.WorkItem;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Counts an item's attempts the way a share group delivers it, and keeps them within the
 * broker's delivery limit. Kafka counts deliveries of a record and archives it, silently,
 * once the limit is reached; so the last delivery Kafka allows must also be the item's
 * last attempt, or a retryable failure there would lose the item instead of
 * dead-lettering it. A record that was requeued (see {@link HandBack}) carries the
 * attempts its item had already made.
 */
final class AttemptBudget {

	/** Attempts an item made before it was requeued as a fresh record. */
	static final String ATTEMPTS_BEFORE_HEADER = "outrigger-attempts-before";

	private static final Log logger = LogFactory.getLog(AttemptBudget.class);

	private final int deliveryLimit;

	private final AtomicBoolean warned = new AtomicBoolean();

	AttemptBudget(int deliveryLimit) {
		this.deliveryLimit = deliveryLimit;
	}

	int deliveryLimit() {
		return this.deliveryLimit;
	}

	/** Which attempt this delivery of the record is, counting from 1. */
	int attempt(ConsumerRecord<?, ?> record) {
		return attemptsBefore(record) + deliveries(record);
	}

	/**
	 * Whether Kafka archives the record rather than delivering it again once it is
	 * released.
	 */
	boolean lastDelivery(ConsumerRecord<?, ?> record) {
		return deliveries(record) >= this.deliveryLimit;
	}

	/**
	 * The item with no more attempts than Kafka will deliver its record; warns once when
	 * items ask for more.
	 */
	WorkItem limit(WorkItem item, ConsumerRecord<?, ?> record) {
		int allowed = attemptsBefore(record) + this.deliveryLimit;
		if (item.maxAttempts() <= allowed) {
			return item;
		}
		warnAbove(item.maxAttempts());
		return new WorkItem(item.id(), item.queue(), item.payload(), item.key(), allowed, item.timeoutMillis(),
				item.callbackUrl(), item.submittedAt(), item.generation(), item.idempotencyKey());
	}

	/** Warns, once, if {@code maxAttempts} is more than Kafka will deliver a record. */
	void warnAbove(int maxAttempts) {
		if (maxAttempts > this.deliveryLimit && this.warned.compareAndSet(false, true)) {
			logger.warn("Items may ask for up to " + maxAttempts + " attempts, but Kafka delivers a record of a "
					+ "share group at most " + this.deliveryLimit + " times (group.share.delivery.count.limit): "
					+ "the share engine gives such items " + this.deliveryLimit + " attempts, then dead-letters them. "
					+ "Raise the broker's limit (at most 10) or use the classic engine for more.");
		}
	}

	private static int deliveries(ConsumerRecord<?, ?> record) {
		return record.deliveryCount().map(Short::intValue).orElse(1);
	}

	private static int attemptsBefore(ConsumerRecord<?, ?> record) {
		Header header = record.headers().lastHeader(ATTEMPTS_BEFORE_HEADER);
		if (header == null) {
			return 0;
		}
		try {
			return Math.max(0, Integer.parseInt(new String(header.value(), StandardCharsets.US_ASCII)));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
