package dev.outrigger.work.status;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for a Kafka write that must be confirmed before the caller goes on (a 202, an
 * acknowledgement): a write that fails or takes too long becomes a
 * {@link StatusUnavailableException}, answered 503 or handed back for redelivery.
 */
public final class KafkaWrites {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private KafkaWrites() {
	}

	public static <T> T confirm(CompletableFuture<T> write) {
		try {
			return write.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new StatusUnavailableException("interrupted while waiting for Kafka to confirm a write");
		}
		catch (ExecutionException ex) {
			throw new StatusUnavailableException("Kafka did not take a write: " + ex.getCause().getMessage());
		}
		catch (TimeoutException ex) {
			throw new StatusUnavailableException("Kafka did not confirm a write within " + TIMEOUT);
		}
	}

}
