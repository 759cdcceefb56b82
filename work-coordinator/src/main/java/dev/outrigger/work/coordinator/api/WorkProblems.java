package dev.outrigger.work.coordinator.api;

import java.time.Duration;

import dev.outrigger.work.coordinator.InvalidSubmissionException;
import dev.outrigger.work.coordinator.ItemTooLargeException;
import dev.outrigger.work.coordinator.SubmissionRefusedException;
import dev.outrigger.work.status.RecordTooLargeForKafkaException;
import dev.outrigger.work.status.StatusUnavailableException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The coordinator's refusals as problem+json, the domain knowing no HTTP: before the
 * kit's ProblemAdvice, whose catch-all answers 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class WorkProblems {

	/** When a caller told to try again should: Kafka's leader elections take seconds. */
	private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	@ExceptionHandler
	ProblemDetail invalid(InvalidSubmissionException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail tooLarge(ItemTooLargeException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage());
	}

	/** Nothing was queued; the same item will be refused again. */
	@ExceptionHandler
	ProblemDetail tooLargeForKafka(RecordTooLargeForKafkaException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage()
				+ "; the queue's topic takes less than OUTRIGGER_WORK_MAX_ITEM_BYTES (its max.message.bytes)");
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> refused(SubmissionRefusedException ex) {
		return retryLater(ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unavailable(StatusUnavailableException ex) {
		return retryLater(ex.getMessage());
	}

	private static ResponseEntity<ProblemDetail> retryLater(String detail) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()))
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail));
	}

}
