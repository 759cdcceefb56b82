package dev.outrigger.work.kafka;

import java.time.Duration;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka consumer driven by a thread of its own until closed: a consumer that fails is
 * closed and replaced after a second, and closing wakes a poll up at once.
 */
public final class ConsumerThread implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ConsumerThread.class);

	private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

	private final String name;

	private final Supplier<KafkaConsumer<String, byte[]>> consumers;

	private final Body body;

	private volatile boolean running;

	private volatile @Nullable KafkaConsumer<String, byte[]> consumer;

	private @Nullable Thread thread;

	/**
	 * @param name the thread's name, also used in logs
	 * @param consumers makes a new consumer (at start and after a failure)
	 * @param body uses one consumer until {@link #running()} turns false or it throws
	 */
	public ConsumerThread(String name, Supplier<KafkaConsumer<String, byte[]>> consumers, Body body) {
		this.name = name;
		this.consumers = consumers;
		this.body = body;
	}

	public void start() {
		this.running = true;
		this.thread = Thread.ofPlatform().name(this.name).daemon().start(this::run);
	}

	public boolean running() {
		return this.running;
	}

	private void run() {
		while (this.running) {
			try (KafkaConsumer<String, byte[]> kafka = this.consumers.get()) {
				this.consumer = kafka;
				this.body.consume(kafka);
			}
			catch (WakeupException ex) {
				// closing
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Exception ex) {
				if (this.running) {
					logger.warn(this.name + " lost its Kafka consumer, reconnecting: " + ex);
					try {
						Thread.sleep(RECONNECT_DELAY);
					}
					catch (InterruptedException interrupted) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		KafkaConsumer<String, byte[]> kafka = this.consumer;
		if (kafka != null) {
			kafka.wakeup();
		}
		Thread consuming = this.thread;
		if (consuming != null) {
			consuming.join(Duration.ofSeconds(10));
		}
	}

	/** What the thread does with each consumer. */
	@FunctionalInterface
	public interface Body {

		void consume(KafkaConsumer<String, byte[]> kafka) throws Exception;

	}

}
