package dev.outrigger.election.kafka;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes epoch records in transactions under the election's one {@code transactional.id},
 * shared by every candidate: {@link #fence()} makes the coordinator abort and fence any
 * older writer, so once it returns no earlier leader can commit again, and every term it
 * read is complete. One per acquisition; a writer that failed is thrown away, since a new
 * one fences whatever was left in doubt.
 */
final class TermWriter implements AutoCloseable {

	private final String topic;

	private final String key;

	private final KafkaProducer<String, String> producer;

	private boolean fenced;

	TermWriter(String topic, String election, Map<String, Object> config) {
		this.topic = topic;
		this.key = election;
		this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
	}

	/** Fences every older writer of this election; idempotent. */
	void fence() {
		if (!this.fenced) {
			this.producer.initTransactions();
			this.fenced = true;
		}
	}

	/** Commits {@code record}; throws if the transaction did not commit. */
	void write(EpochRecord record) {
		fence();
		this.producer.beginTransaction();
		this.producer.send(new ProducerRecord<>(this.topic, 0, this.key, record.format()));
		this.producer.commitTransaction();
	}

	@Override
	public void close() {
		close(Duration.ZERO);
	}

	void close(Duration timeout) {
		this.producer.close(timeout);
	}

}
