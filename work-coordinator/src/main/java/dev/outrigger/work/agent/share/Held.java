package dev.outrigger.work.agent.share;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.jspecify.annotations.Nullable;

/**
 * A record its consumer holds the lock of. It is either in hand — delivered by the last
 * poll and not acknowledged yet, so the consumer can acknowledge it — or being renewed:
 * acknowledged with RENEW and not yet handed back by a poll, so an outcome that arrives
 * meanwhile waits.
 */
final class Held {

	private final Delivery delivery;

	private boolean inHand = true;

	private long lockedAt;

	private @Nullable AcknowledgeType settled;

	/**
	 * @param lockedAt when the lock began at the latest ({@link System#nanoTime()})
	 */
	Held(Delivery delivery, long lockedAt) {
		this.delivery = delivery;
		this.lockedAt = lockedAt;
	}

	Delivery delivery() {
		return this.delivery;
	}

	boolean inHand() {
		return this.inHand;
	}

	long lockedAt() {
		return this.lockedAt;
	}

	/**
	 * The record was acknowledged with RENEW at {@code renewedAt}; a poll will hand it
	 * back.
	 */
	void renewing(long renewedAt) {
		this.inHand = false;
		this.lockedAt = renewedAt;
	}

	/** A poll handed the renewed record back. */
	void returned() {
		this.inHand = true;
	}

	/**
	 * How the record must be acknowledged once it is back in hand, if its delivery
	 * settled.
	 */
	@Nullable AcknowledgeType settled() {
		return this.settled;
	}

	void settle(AcknowledgeType type) {
		this.settled = type;
	}

}
