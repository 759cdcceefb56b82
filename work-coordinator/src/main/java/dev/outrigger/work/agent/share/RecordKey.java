package dev.outrigger.work.agent.share;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a record sits: what a share consumer acknowledges, renews and hands back by.
 *
 * @param topic the record's topic
 * @param partition its partition
 * @param offset its offset
 */
record RecordKey(String topic, int partition, long offset) {

	static RecordKey of(ConsumerRecord<?, ?> record) {
		return new RecordKey(record.topic(), record.partition(), record.offset());
	}

	@Override
	public String toString() {
		return this.topic + "-" + this.partition + "@" + this.offset;
	}

}
