package dev.outrigger.work.agent;

import dev.outrigger.work.status.StatusUnavailableException;
import dev.outrigger.work.topic.QueueTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Writes dead items to their queue's dead-letter topic with spring-kafka's recoverer: the
 * original record's key, value and headers, plus the {@code kafka_dlt-*} headers naming
 * the original topic, partition, offset and the reason. Both engines use it, so a dead
 * item looks the same whichever engine ran it — and never disappears into a broker-side
 * archive.
 */
public final class DeadLetters {

	private final DeadLetterPublishingRecoverer recoverer;

	public DeadLetters(KafkaTemplate<String, byte[]> kafka, QueueTopics topics) {
		// partition -1: let the producer pick, so the dead topic may have any number of
		// partitions
		this.recoverer = new DeadLetterPublishingRecoverer(kafka,
				(record, ex) -> new TopicPartition(topics.dead(topics.queueOf(record.topic())), -1));
	}

	/**
	 * Writes {@code record} to the dead-letter topic and waits until Kafka has it.
	 * @throws StatusUnavailableException if Kafka did not take it; the delivery must be
	 * handed back
	 */
	public void publish(ConsumerRecord<?, ?> record, String reason) {
		try {
			this.recoverer.accept(record, new DeadItemException(reason));
		}
		catch (RuntimeException ex) {
			throw new StatusUnavailableException(
					"could not write a dead item to its dead-letter topic: " + ex.getMessage());
		}
	}

	/** The recoverer itself, for a spring-kafka error handler. */
	public DeadLetterPublishingRecoverer recoverer() {
		return this.recoverer;
	}

	/** Why an item is dead, carried in the dead-letter record's exception headers. */
	public static final class DeadItemException extends RuntimeException {

		public DeadItemException(String reason) {
			super(reason, null, false, false);
		}

	}

}
