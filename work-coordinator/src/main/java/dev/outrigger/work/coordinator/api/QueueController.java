package dev.outrigger.work.coordinator.api;

import java.util.List;

import dev.outrigger.kit.admin.AdminOperation;
import dev.outrigger.kit.problem.BadRequestException;
import dev.outrigger.work.coordinator.Submissions;
import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;
import dev.outrigger.work.status.QueueStats;
import dev.outrigger.work.status.StatusView;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A queue: its numbers, its dead items, and re-driving one of them.
 */
@RestController
public class QueueController {

	private static final int MAX_LIMIT = 1000;

	private final StatusView view;

	private final Submissions submissions;

	public QueueController(StatusView view, Submissions submissions) {
		this.view = view;
		this.submissions = submissions;
	}

	/**
	 * Depth (queued and retrying), in flight, outcomes within the retention, finished per
	 * second.
	 */
	@GetMapping("/queues/{queue}")
	public QueueStats queue(@PathVariable String queue) {
		return this.view.stats(QueueNames.require(queue));
	}

	/** Dead items, oldest first, each with why it died. */
	@GetMapping("/queues/{queue}/dead")
	public List<DeadItemView> dead(@PathVariable String queue, @RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new BadRequestException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
		}
		return this.view.dead(QueueNames.require(queue), limit).stream().map(DeadItemView::of).toList();
	}

	/** Queues a dead item again, its attempts counted afresh. */
	@AdminOperation
	@PostMapping("/queues/{queue}/dead/{id}/retry")
	public ResponseEntity<ItemView> retry(@PathVariable String queue, @PathVariable String id) {
		QueueNames.require(queue);
		ItemStatus status = this.view.getConsistent(id, ItemController.CATCH_UP)
			.filter((known) -> known.queue().equals(queue))
			.orElseThrow(() -> ItemController.problem(HttpStatus.NOT_FOUND, "no item " + id + " in queue " + queue));
		if (status.state() != ItemState.DEAD) {
			throw ItemController.problem(HttpStatus.CONFLICT,
					"item " + id + " is " + status.state() + "; only a DEAD item can be re-driven");
		}
		if (status.item() == null) {
			throw ItemController.problem(HttpStatus.CONFLICT, "item " + id + " cannot be re-driven: its record was "
					+ "not a readable work item (" + status.lastError() + ")");
		}
		return ResponseEntity.accepted().body(ItemView.of(this.submissions.redrive(status.item())));
	}

}
