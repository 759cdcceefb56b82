package dev.outrigger.work.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic, from its beginning to where it ends at the call, with a consumer
 * outside any group — what a test checks the log itself with, rather than an agent's view
 * of it.
 */
public final class TopicRecords {

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

	private TopicRecords() {
	}

	public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, String topic) {
		Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings)) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
			long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < ends.get(partition))) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Could not read " + topic + " to its end within " + READ_TIMEOUT);
				}
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
			}
			return records;
		}
	}

	/** How many SUCCEEDED snapshots the status topic holds for each item that has any. */
	public static Map<String, Long> succeededSnapshots(String bootstrapServers, String statusTopic) {
		ItemJson json = new ItemJson();
		return readAll(bootstrapServers, statusTopic).stream()
			.filter((record) -> record.value() != null)
			.map((record) -> json.readStatus(record.value()))
			.filter((status) -> status.state() == ItemState.SUCCEEDED)
			.collect(Collectors.groupingBy(ItemStatus::id, Collectors.counting()));
	}

}
