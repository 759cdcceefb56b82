package dev.outrigger.work.status;

import java.util.concurrent.CompletableFuture;

import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.ItemStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Writes status snapshots to the status topic, keyed by item id (with
 * {@link StatusHeaders}), and applies each to this process's view once Kafka has it — so
 * this replica reads its own writes at once.
 */
public final class StatusPublisher {

	private static final Log logger = LogFactory.getLog(StatusPublisher.class);

	private final KafkaTemplate<String, byte[]> kafka;

	private final String topic;

	private final ItemJson json;

	private final StatusView view;

	public StatusPublisher(KafkaTemplate<String, byte[]> kafka, String topic, ItemJson json, StatusView view) {
		this.kafka = kafka;
		this.topic = topic;
		this.json = json;
		this.view = view;
	}

	/**
	 * Completes once every in-sync replica has the snapshot. The record's timestamp is
	 * the snapshot's {@code updatedAt}, which views count finished items by without
	 * parsing it.
	 */
	public CompletableFuture<ItemStatus> publish(ItemStatus status) {
		byte[] value = this.json.write(status);
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(this.topic, null,
				status.updatedAt().toEpochMilli(), status.id(), value, StatusHeaders.of(status));
		return this.kafka.send(record).thenApply((sent) -> {
			applyLocally(() -> this.view.applyLocal(status, value));
			return status;
		});
	}

	/**
	 * Forgets an item: a tombstone that compaction turns into nothing, applied to this
	 * process's view once Kafka has it.
	 */
	public CompletableFuture<Void> forget(String id) {
		return this.kafka.send(this.topic, id, null).thenApply((sent) -> {
			applyLocally(() -> this.view.forgetLocal(id));
			return null;
		});
	}

	/**
	 * Kafka has the write whatever becomes of its local copy: a store that fails here is
	 * logged, and the view takes the record when it reads it from the log.
	 */
	private static void applyLocally(Runnable apply) {
		try {
			apply.run();
		}
		catch (StatusUnavailableException ex) {
			logger.warn("A write Kafka took is not in this process's status view until it is read back: "
					+ ex.getMessage());
		}
	}

}
