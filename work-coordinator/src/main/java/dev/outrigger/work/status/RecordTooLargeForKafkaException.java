package dev.outrigger.work.status;

/**
 * Kafka refused a write as larger than its topic or broker takes
 * ({@code max.message.bytes}): retrying the same record cannot help.
 */
public class RecordTooLargeForKafkaException extends StatusUnavailableException {

	public RecordTooLargeForKafkaException(String message, Throwable cause) {
		super(message, cause);
	}

}
