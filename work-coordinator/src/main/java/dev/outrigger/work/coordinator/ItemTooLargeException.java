package dev.outrigger.work.coordinator;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An item larger than {@code OUTRIGGER_WORK_MAX_ITEM_BYTES}: answered 413 problem+json.
 */
public class ItemTooLargeException extends ErrorResponseException {

	public ItemTooLargeException(int size, int limit) {
		super(HttpStatus.CONTENT_TOO_LARGE, ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
				"the item is " + size + " bytes as JSON; the limit is " + limit + " (OUTRIGGER_WORK_MAX_ITEM_BYTES)"),
				null);
	}

}
