package dev.outrigger.work.coordinator;

/**
 * This coordinator takes no submission now (paused, draining, or too many waiting for
 * Kafka); the producer should retry, here later or at another replica. The API answers
 * 503 with the message as the problem's detail.
 */
public class SubmissionRefusedException extends RuntimeException {

	public SubmissionRefusedException(String detail) {
		super(detail);
	}

}
