package dev.outrigger.work.kafka;

import java.util.HashMap;
import java.util.Map;

import dev.outrigger.kafka.KafkaClientSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka client settings for every client this container makes: what the work queue needs
 * of each kind of client, on top of the common settings and the operator's passthrough
 * ({@code OUTRIGGER_WORK_KAFKA_PROPERTIES_*}, which wins over ours) of
 * {@link KafkaClientSettings}.
 *
 * @param clients the bootstrap servers, this container's client id prefix and the
 * passthrough
 */
public record KafkaSettings(KafkaClientSettings clients) {

	static final int STATUS_FETCH_MIN_BYTES = 16 * 1024;

	static final int STATUS_FETCH_MAX_WAIT_MS = 25;

	public Map<String, Object> admin() {
		return this.clients.admin("admin");
	}

	/**
	 * A producer that never loses an acknowledged write: all in-sync replicas, idempotent
	 * (no duplicates or reordering on retry), and a short linger so submissions batch
	 * under load.
	 */
	public Map<String, Object> producer() {
		Map<String, Object> settings = new HashMap<>();
		settings.put(ProducerConfig.ACKS_CONFIG, "all");
		settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		settings.put(ProducerConfig.LINGER_MS_CONFIG, 1);
		settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		return this.clients.producer("producer", settings);
	}

	/**
	 * A consumer without a group (the status view assigns itself every partition). Every
	 * status write would wake a fetch that asks for one byte, so under load each reader
	 * would cost the broker a fetch per write; fetches instead wait for
	 * {@value #STATUS_FETCH_MIN_BYTES} bytes or {@value #STATUS_FETCH_MAX_WAIT_MS} ms,
	 * whichever comes first.
	 */
	public Map<String, Object> reader(String purpose) {
		Map<String, Object> settings = new HashMap<>();
		settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		statusFetches(settings);
		settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
		deserializers(settings);
		return this.clients.consumer(purpose, settings);
	}

	/** A member of {@code group} that commits only what it has settled. */
	public Map<String, Object> groupConsumer(String purpose, String group) {
		return this.clients.consumer(purpose, groupSettings(group));
	}

	/**
	 * A member of {@code group} that reads the status topic, fetching like
	 * {@link #reader}, with {@code more} settings of its own.
	 */
	public Map<String, Object> statusGroupConsumer(String purpose, String group, Map<String, ?> more) {
		Map<String, Object> settings = groupSettings(group);
		statusFetches(settings);
		settings.putAll(more);
		return this.clients.consumer(purpose, settings);
	}

	private static Map<String, Object> groupSettings(String group) {
		Map<String, Object> settings = new HashMap<>();
		settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
		settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		deserializers(settings);
		return settings;
	}

	private static void statusFetches(Map<String, Object> settings) {
		settings.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, STATUS_FETCH_MIN_BYTES);
		settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, STATUS_FETCH_MAX_WAIT_MS);
	}

	private static void deserializers(Map<String, Object> settings) {
		settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
	}

}
