package dev.outrigger.work.coordinator.api;

import java.time.Clock;
import java.time.Duration;

import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;
import dev.outrigger.work.status.KafkaWrites;
import dev.outrigger.work.status.StatusPublisher;
import dev.outrigger.work.status.StatusView;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * One item: its status, its result, and cancelling it. Any coordinator replica answers
 * for any item; one that has not seen the item yet reads the status topic to its end
 * before saying 404.
 */
@RestController
public class ItemController {

	static final Duration CATCH_UP = Duration.ofSeconds(10);

	private final StatusView view;

	private final StatusPublisher publisher;

	private final Clock clock;

	public ItemController(StatusView view, StatusPublisher publisher, Clock clock) {
		this.view = view;
		this.publisher = publisher;
		this.clock = clock;
	}

	@GetMapping("/items/{id}")
	public ItemView item(@PathVariable String id) {
		return ItemView.of(find(id));
	}

	/** The worker's response body, with its content type, once the item SUCCEEDED. */
	@GetMapping("/items/{id}/result")
	public ResponseEntity<String> result(@PathVariable String id) {
		ItemStatus status = find(id);
		if (status.state() != ItemState.SUCCEEDED) {
			throw problem(HttpStatus.CONFLICT,
					"item " + id + " is " + status.state() + "; only a SUCCEEDED item has a " + "result");
		}
		if (status.result() == null) {
			throw problem(HttpStatus.NOT_FOUND, "item " + id + " SUCCEEDED without a kept result"
					+ ((status.lastError() != null) ? ": " + status.lastError() : ""));
		}
		MediaType type = (status.resultType() != null) ? MediaType.parseMediaType(status.resultType())
				: MediaType.APPLICATION_OCTET_STREAM;
		return ResponseEntity.ok().contentType(type).body(status.result());
	}

	/** Cancels an item that has not finished: an agent that takes it skips it. */
	@ClientOperation
	@DeleteMapping("/items/{id}")
	public ItemView cancel(@PathVariable String id) {
		ItemStatus status = find(id);
		if (status.state().finished()) {
			throw problem(HttpStatus.CONFLICT,
					"item " + id + " is already " + status.state() + " and cannot be " + "cancelled");
		}
		ItemStatus cancelled = KafkaWrites.confirm(this.publisher.publish(status.cancelled(this.clock.instant())));
		return ItemView.of(cancelled);
	}

	private ItemStatus find(String id) {
		return this.view.getConsistent(id, CATCH_UP)
			.orElseThrow(() -> problem(HttpStatus.NOT_FOUND,
					"no item " + id + " (unknown, or forgotten after the " + "status retention)"));
	}

	static ErrorResponseException problem(HttpStatus status, String detail) {
		return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
	}

}
