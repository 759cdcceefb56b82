package dev.outrigger.work.agent.share;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.outrigger.work.kafka.KafkaSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
	private static final Log logger = LogFactory.getLog(ShareConsumers.class);

	/**
	 * Settings a share consumer refuses to start with (Kafka's ShareConsumerConfig),
	 * while the operator's passthrough may set them for the classic engine's consumers.
	 */
	private static final List<String> GROUP_CONSUMER_ONLY = List.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
			ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
			ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
			ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
			ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, ConsumerConfig.GROUP_PROTOCOL_CONFIG,
			ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG);

	private final AtomicBoolean warned = new AtomicBoolean();

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
		Map<String, Object> all = this.kafka.clients().consumer(name, settings);
		List<String> dropped = GROUP_CONSUMER_ONLY.stream().filter(all::containsKey).toList();
		if (!dropped.isEmpty() && this.warned.compareAndSet(false, true)) {
			logger.warn("Share consumers take no " + dropped + " (classic consumer group settings, from "
					+ "OUTRIGGER_WORK_KAFKA_PROPERTIES_*): left out of them");
		}
		dropped.forEach(all::remove);
		return new KafkaShareConsumer<>(all);
	}

}
