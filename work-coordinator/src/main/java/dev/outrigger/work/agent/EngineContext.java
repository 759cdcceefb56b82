package dev.outrigger.work.agent;

import dev.outrigger.work.WorkProperties;
import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.kafka.KafkaSettings;
import dev.outrigger.work.topic.QueueTopics;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * What every engine is built from.
 *
 * @param properties the agent's settings (queues, concurrency, attempts, backoff, group)
 * @param kafka client settings
 * @param topics topic names
 * @param json item decoding
 * @param runner runs each delivery
 * @param kafkaTemplate the agent's producer, for retry and dead-letter topics
 */
public record EngineContext(WorkProperties properties, KafkaSettings kafka, QueueTopics topics, ItemJson json,
		ItemRunner runner, KafkaTemplate<String, byte[]> kafkaTemplate) {

}
