package dev.outrigger.work.coordinator;

/**
 * A submission the producer must change. The API answers 400 with the message as the
 * problem's detail.
 */
public class InvalidSubmissionException extends RuntimeException {

	public InvalidSubmissionException(String detail) {
		super(detail);
	}

}
