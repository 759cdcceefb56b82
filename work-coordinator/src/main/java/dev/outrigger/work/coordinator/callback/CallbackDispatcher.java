package dev.outrigger.work.coordinator.callback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.ItemStatus;
import dev.outrigger.work.kafka.ConsumerThread;
import dev.outrigger.work.status.StatusHeaders;
import dev.outrigger.work.status.StatusView;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * POSTs each item's final status to its {@code callbackUrl}. Coordinator replicas share
 * the work as one consumer group on the status topic, so each final status is delivered
 * by one replica; offsets are committed only after a batch's callbacks are delivered or
 * given up, so a replica that dies mid-batch leaves them to another (callbacks are at
 * least once: receivers get an {@code Idempotency-Key}).
 */
public final class CallbackDispatcher implements AutoCloseable {

	/**
	 * How often a replica commits its position while it passes only statuses without
	 * callbacks.
	 */
	private static final Duration PASSING_COMMIT_INTERVAL = Duration.ofSeconds(1);

	private final String topic;

	private final ItemJson json;

	private final StatusView view;

	private final CallbackSender sender;

	private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();

	private final ConsumerThread thread;

	public CallbackDispatcher(Supplier<KafkaConsumer<String, byte[]>> consumers, String topic, ItemJson json,
			StatusView view, CallbackSender sender) {
		this.thread = new ConsumerThread("callbacks", consumers, this::dispatch);
		this.topic = topic;
		this.json = json;
		this.view = view;
		this.sender = sender;
	}

	public void start() {
		this.thread.start();
	}

	private void dispatch(KafkaConsumer<String, byte[]> kafka) throws Exception {
		kafka.subscribe(List.of(this.topic));
		long committedAt = System.nanoTime();
		while (this.thread.running()) {
			ConsumerRecords<String, byte[]> records = kafka.poll(Duration.ofSeconds(1));
			List<Future<?>> batch = new ArrayList<>();
			for (ConsumerRecord<String, byte[]> record : records) {
				due(record).ifPresent((status) -> batch.add(this.deliveries.submit(() -> {
					this.sender.send(status);
					return null;
				})));
			}
			for (Future<?> delivery : batch) {
				delivery.get();
			}
			long now = System.nanoTime();
			if (!batch.isEmpty()) {
				// what was not committed when a replica stops is delivered by another one
				kafka.commitSync();
				committedAt = now;
			}
			else if (!records.isEmpty() && now - committedAt >= PASSING_COMMIT_INTERVAL.toNanos()) {
				// nothing to deliver: committing now and then only saves a restart
				// reading these again
				kafka.commitAsync();
				committedAt = now;
			}
		}
	}

	/**
	 * A final status with a callback, which still stands (not a late duplicate of another
	 * outcome).
	 */
	private Optional<ItemStatus> due(ConsumerRecord<String, byte[]> record) {
		if (record.value() == null || !StatusHeaders.finalWithCallback(record.headers()).orElse(true)) {
			// most snapshots are not final or have no callback: skipped without parsing
			return Optional.empty();
		}
		ItemStatus status;
		try {
			status = this.json.readStatus(record.value());
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
		if (!status.state().finished() || status.callbackUrl() == null) {
			return Optional.empty();
		}
		// this replica's view may lag the record (skip nothing it has not seen), or be
		// ahead of it
		// with another outcome that stands (skip the late one)
		Optional<ItemStatus> standing = this.view.get(status.id());
		boolean late = standing.isPresent() && !standing.get().equals(status) && !standing.get().supersededBy(status);
		return late ? Optional.empty() : Optional.of(status);
	}

	@Override
	public void close() throws InterruptedException {
		this.thread.close();
		this.deliveries.shutdownNow();
	}

}
