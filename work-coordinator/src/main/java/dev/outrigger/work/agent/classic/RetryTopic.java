package dev.outrigger.work.agent.classic;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.outrigger.work.status.StatusUnavailableException;
import dev.outrigger.work.topic.QueueTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Parks an item that failed an attempt on its queue's retry topic, stamped with its next
 * attempt and the time it is due. Once Kafka has the copy, the failed delivery counts as
 * handled: that is what keeps a failing item from holding up the items behind it in its
 * partition.
 */
final class RetryTopic {

	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

	private final KafkaTemplate<String, byte[]> kafka;

	private final QueueTopics topics;

	private final Clock clock;

	RetryTopic(KafkaTemplate<String, byte[]> kafka, QueueTopics topics, Clock clock) {
		this.kafka = kafka;
		this.topics = topics;
		this.clock = clock;
	}

	/**
	 * Writes {@code delivery}'s item, key and headers to {@code queue}'s retry topic as
	 * attempt {@code attempt}, due after {@code backoff}, and waits until Kafka has it.
	 * @throws InterruptedException if the agent is stopping; the delivery must be handed
	 * back
	 * @throws StatusUnavailableException if Kafka did not take it; the delivery must be
	 * handed back
	 */
	void schedule(ConsumerRecord<String, byte[]> delivery, String queue, int attempt, Duration backoff)
			throws InterruptedException {
		String topic = this.topics.retry(queue);
		RecordHeaders headers = new RecordHeaders(delivery.headers().toArray());
		new RetryHeaders(attempt, this.clock.instant().plus(backoff)).writeTo(headers);
		ProducerRecord<String, byte[]> retry = new ProducerRecord<>(topic, null, delivery.key(), delivery.value(),
				headers);
		try {
			this.kafka.send(retry).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw new StatusUnavailableException("could not write a retry to " + topic + ": " + ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new StatusUnavailableException("Kafka did not take a retry on " + topic + " within " + SEND_TIMEOUT);
		}
	}

}
