package dev.outrigger.work.agent.share;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Gives a delivery back to Kafka so its item runs again: RELEASE, which Kafka redelivers
 * at once. At the broker's delivery limit a RELEASE would make Kafka archive the record
 * instead, and the item would be lost without a trace; there the record is requeued —
 * written again to its topic, carrying the attempts made so far — and the old delivery
 * accepted.
 */
final class HandBack {

	private static final Log logger = LogFactory.getLog(HandBack.class);

	private static final Duration REQUEUE_TIMEOUT = Duration.ofSeconds(10);

	private final KafkaTemplate<String, byte[]> kafka;

	private final AttemptBudget budget;

	HandBack(KafkaTemplate<String, byte[]> kafka, AttemptBudget budget) {
		this.kafka = kafka;
		this.budget = budget;
	}

	/** How to acknowledge {@code record} so it is delivered again. */
	AcknowledgeType of(ConsumerRecord<String, byte[]> record) {
		if (!this.budget.lastDelivery(record)) {
			return AcknowledgeType.RELEASE;
		}
		try {
			awaitUninterruptibly(this.kafka.send(requeued(record)));
			return AcknowledgeType.ACCEPT;
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			logger.warn("Could not requeue the record at " + RecordKey.of(record) + ", handed back at Kafka's "
					+ "delivery limit: Kafka archives it, so its item will not run again (" + cause.getMessage() + ")");
			return AcknowledgeType.RELEASE;
		}
	}

	private ProducerRecord<String, byte[]> requeued(ConsumerRecord<String, byte[]> record) {
		RecordHeaders headers = new RecordHeaders(record.headers().toArray());
		headers.remove(AttemptBudget.ATTEMPTS_BEFORE_HEADER);
		headers.add(AttemptBudget.ATTEMPTS_BEFORE_HEADER,
				Integer.toString(this.budget.attempt(record)).getBytes(StandardCharsets.US_ASCII));
		return new ProducerRecord<>(record.topic(), null, record.key(), record.value(), headers);
	}

	/**
	 * Waits for the write even when the agent is stopping: the requeue is how nothing is
	 * lost.
	 */
	private static void awaitUninterruptibly(CompletableFuture<?> write) throws ExecutionException, TimeoutException {
		long deadline = System.nanoTime() + REQUEUE_TIMEOUT.toNanos();
		boolean interrupted = Thread.interrupted();
		try {
			while (true) {
				try {
					write.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
					return;
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
