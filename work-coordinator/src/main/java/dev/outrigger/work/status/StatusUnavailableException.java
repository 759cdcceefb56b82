package dev.outrigger.work.status;

/**
 * The status view cannot give a current answer (Kafka unreachable, view still catching
 * up). Answered 503 so the caller retries.
 */
public class StatusUnavailableException extends RuntimeException {

	public StatusUnavailableException(String message) {
		super(message);
	}

}
