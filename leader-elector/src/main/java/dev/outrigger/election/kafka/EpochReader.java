package dev.outrigger.election.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

/**
 * Reads an election topic's committed epoch records, outside the group (followers are
 * assigned nothing, yet must learn who leads). With
 * {@code isolation.level=read_committed} the end it reads to is the last stable offset,
 * so a term is seen only once its transaction committed. Used by one thread only, like
 * the consumer inside.
 */
final class EpochReader implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(EpochReader.class);

	private final String election;

	private final TopicPartition partition;

	private final KafkaConsumer<String, String> consumer;

	private final Duration lookupTimeout;

	private @Nullable EpochRecord latest;

	private long end = -1;

	private boolean caughtUp;

	EpochReader(String election, TopicPartition partition, Map<String, Object> config, Duration lookupTimeout) {
		this.election = election;
		this.partition = partition;
		this.lookupTimeout = lookupTimeout;
		this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
		this.consumer.assign(List.of(partition));
		this.consumer.seekToBeginning(List.of(partition));
	}

	/**
	 * Takes in what has arrived, waiting at most {@code timeout}.
	 * @return whether the reader has read up to the end the topic had when it started
	 */
	boolean poll(Duration timeout) {
		for (ConsumerRecord<String, String> record : this.consumer.poll(timeout)) {
			take(record);
		}
		if (!this.caughtUp) {
			try {
				if (this.end < 0) {
					this.end = endOffset(this.lookupTimeout);
				}
				this.caughtUp = this.consumer.position(this.partition, Duration.ZERO) >= this.end;
			}
			catch (TimeoutException ex) {
				// not yet: the next turn asks again
			}
		}
		return this.caughtUp;
	}

	/**
	 * Reads every record committed so far and returns the newest; only a new term's
	 * writer, which has fenced every older writer first, may rely on it being the last.
	 * @throws TimeoutException when the end is not reached within {@code timeout}
	 */
	@Nullable EpochRecord readToEnd(Duration timeout, Duration pollInterval) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long end = endOffset(timeout);
		while (this.consumer.position(this.partition, timeout) < end) {
			if (System.nanoTime() - deadline > 0) {
				throw new TimeoutException("Election '" + this.election + "': did not read " + this.partition
						+ " up to offset " + end + " within " + timeout.toMillis() + "ms");
			}
			poll(pollInterval);
		}
		return this.latest;
	}

	@Nullable EpochRecord latest() {
		return this.latest;
	}

	private long endOffset(Duration timeout) {
		Map<TopicPartition, Long> ends = this.consumer.endOffsets(Set.of(this.partition), timeout);
		Long end = ends.get(this.partition);
		if (end == null) {
			throw new TimeoutException("Election '" + this.election + "': no end offset for " + this.partition);
		}
		return end;
	}

	private void take(ConsumerRecord<String, String> record) {
		EpochRecord epoch = EpochRecord.parse(record.value());
		if (epoch == null) {
			logger.warn("Election '" + this.election + "': skipped a record that is not an epoch record at offset "
					+ record.offset() + " of " + this.partition);
			return;
		}
		// a release keeps its term's epoch, so it replaces the term it ends
		if (this.latest == null || epoch.epoch() >= this.latest.epoch()) {
			this.latest = epoch;
		}
	}

	@Override
	public void close() {
		this.consumer.close(CloseOptions.timeout(Duration.ZERO));
	}

}
