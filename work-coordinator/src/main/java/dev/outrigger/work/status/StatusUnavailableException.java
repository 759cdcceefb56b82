package dev.outrigger.work.status;

import org.jspecify.annotations.Nullable;

/**
 * The status view cannot give a current answer (Kafka unreachable, view still catching
 * up). Answered 503 so the caller retries.
 */
public class StatusUnavailableException extends RuntimeException {

	public StatusUnavailableException(String message) {
		super(message);
	}

	public StatusUnavailableException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
