package dev.outrigger.work.agent.share;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.outrigger.work.kafka.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Makes the engine's share consumers: explicit acknowledgement, and at most {@code batch}
 * records acquired per fetch, so a consumer never holds more locks than it can run or
 * renew.
 */
final class ShareConsumers {

	private final KafkaSettings kafka;

	private final String group;

	private final int batch;

	private final Duration fetchWait;

	/**
	 * @param fetchWait how long the broker may hold a fetch open; a renewal waits behind
	 * a fetch in flight, so this stays well below the record lock
	 */
	ShareConsumers(KafkaSettings kafka, String group, int batch, Duration fetchWait) {
		this.kafka = kafka;
		this.group = group;
		this.batch = batch;
		this.fetchWait = fetchWait;
	}

	ShareConsumer<String, byte[]> create(String name) {
		Map<String, Object> settings = new HashMap<>();
		settings.put(ConsumerConfig.GROUP_ID_CONFIG, this.group);
		settings.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
		settings.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
		settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, this.batch);
		settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) this.fetchWait.toMillis());
		settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		return new KafkaShareConsumer<>(this.kafka.clients().consumer(name, settings));
	}

}
