package dev.outrigger.work.status;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Waiting for a Kafka write that must be confirmed before the caller goes on (a 202, an
 * acknowledgement): a write that fails or takes too long becomes a
 * {@link StatusUnavailableException}, answered 503 or handed back for redelivery.
 */
public final class KafkaWrites {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** How often a wait that may be abandoned looks whether it is. */
	private static final Duration ABANDON_CHECK = Duration.ofMillis(100);

	private KafkaWrites() {
	}

	public static <T> T confirm(CompletableFuture<T> write) {
		return confirm(write, () -> false);
	}

	/**
	 * Like {@link #confirm(CompletableFuture)}, but gives up as soon as {@code abandoned}
	 * says so, for a waiter that no interrupt reaches.
	 */
	public static <T> T confirm(CompletableFuture<T> write, BooleanSupplier abandoned) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		try {
			while (!write.isDone()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new StatusUnavailableException("Kafka did not confirm a write within " + TIMEOUT);
				}
				if (abandoned.getAsBoolean()) {
					throw new StatusUnavailableException("stopped waiting for Kafka to confirm a write");
				}
				awaitQuietly(write, Math.min(left, ABANDON_CHECK.toNanos()));
			}
			return write.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StatusUnavailableException("interrupted while waiting for Kafka to confirm a write");
		}
		catch (ExecutionException ex) {
			// Spring's KafkaTemplate wraps the client's exception in its own
			for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
				if (cause instanceof RecordTooLargeException tooLarge) {
					throw new RecordTooLargeForKafkaException(
							"Kafka refused a record as too large: " + tooLarge.getMessage(), tooLarge);
				}
			}
			throw new StatusUnavailableException("Kafka did not take a write: " + ex.getCause().getMessage());
		}
		catch (CancellationException ex) {
			throw new StatusUnavailableException("a write to Kafka was cancelled");
		}
	}

	/** Waits up to {@code nanos} for {@code write} to complete, however it completes. */
	private static void awaitQuietly(CompletableFuture<?> write, long nanos) throws InterruptedException {
		try {
			write.get(nanos, TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException | TimeoutException | CancellationException ex) {
			// the caller looks at the write again
		}
	}

}
