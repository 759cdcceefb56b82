package dev.outrigger.work.coordinator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Chooses the partition of an item without a key of its own: the topic's partitions in
 * turn, from a random one. Hashing random item ids would load a classic group's
 * consumers, each of which owns whole partitions, unevenly — a few percent more items on
 * the busiest one, which the whole queue then waits for — and the producer's default for
 * records without a key puts whole batches on one partition. An item with a key is left
 * to the key's hash, so items with the same key share a partition.
 */
final class ItemPartitions {

	private final KafkaTemplate<String, byte[]> kafka;

	private final Map<String, AtomicInteger> next = new ConcurrentHashMap<>();

	ItemPartitions(KafkaTemplate<String, byte[]> kafka) {
		this.kafka = kafka;
	}

	/**
	 * Deals partitions for the keyless items of one batch on {@code topic}, whose
	 * partitions are looked up once; a null partition leaves the item to its key's hash.
	 */
	Supplier<@Nullable Integer> dealer(String topic) {
		int partitions;
		try {
			partitions = this.kafka.partitionsFor(topic).size();
		}
		catch (KafkaException ex) {
			// no metadata: the send itself fails the same way, and its caller answers for
			// it
			return () -> null;
		}
		if (partitions == 0) {
			return () -> null;
		}
		AtomicInteger turn = this.next.computeIfAbsent(topic,
				(name) -> new AtomicInteger(ThreadLocalRandom.current().nextInt(partitions)));
		return () -> Math.floorMod(turn.getAndIncrement(), partitions);
	}

}
