package dev.outrigger.work.coordinator.api;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

import dev.outrigger.kit.admin.AdminOperation;
import dev.outrigger.kit.problem.BadRequestException;
import dev.outrigger.work.WorkProperties;
import dev.outrigger.work.coordinator.Submissions;
import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;
import dev.outrigger.work.status.ItemPage;
import dev.outrigger.work.status.QueueStats;
import dev.outrigger.work.status.StatusView;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Queues for operators: every queue's numbers, a queue's items by state, its dead items,
 * and re-driving one of them. Answered from the status view's store.
 */
@RestController
public class QueueController {

	private static final int MAX_LIMIT = 1000;

	private final StatusView view;

	private final Submissions submissions;

	private final List<String> configuredQueues;

	public QueueController(StatusView view, Submissions submissions, WorkProperties properties) {
		this.view = view;
		this.submissions = submissions;
		this.configuredQueues = properties.queues();
	}

	/** Every queue with items (or named in {@code OUTRIGGER_WORK_QUEUES}), by name. */
	@GetMapping("/queues")
	public List<QueueStats> queues() {
		TreeSet<String> names = new TreeSet<>(this.view.queues());
		names.addAll(this.configuredQueues);
		return names.stream().map(this.view::stats).toList();
	}

	/**
	 * Depth (queued and retrying), in flight, outcomes within the retention, finished per
	 * second.
	 */
	@GetMapping("/queues/{queue}")
	public QueueStats queue(@PathVariable String queue) {
		return this.view.stats(QueueNames.require(queue));
	}

	/**
	 * The queue's items, newest first, a page at a time; {@code next} asks for the
	 * following page.
	 */
	@GetMapping("/queues/{queue}/items")
	public ItemListView items(@PathVariable String queue, @RequestParam(required = false) @Nullable String state,
			@RequestParam(required = false) @Nullable String after, @RequestParam(defaultValue = "100") int limit) {
		QueueNames.require(queue);
		requireLimit(limit);
		ItemState only = (state != null) ? state(state) : null;
		ItemPage page;
		try {
			page = this.view.items(queue, only, after, limit);
		}
		catch (IllegalArgumentException ex) {
			throw new BadRequestException(ex.getMessage());
		}
		String next = (page.next() != null) ? UriComponentsBuilder.fromPath("/queues/{queue}/items")
			.queryParamIfPresent("state", Optional.ofNullable(only))
			.queryParam("limit", limit)
			.queryParam("after", page.next())
			.buildAndExpand(queue)
			.toUriString() : null;
		return new ItemListView(page.items().stream().map(ItemView::of).toList(), next);
	}

	private static ItemState state(String name) {
		try {
			return ItemState.valueOf(name.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new BadRequestException(
					"state must be one of " + Arrays.toString(ItemState.values()) + ", was " + name);
		}
	}

	private static void requireLimit(int limit) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new BadRequestException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
		}
	}

	/** Dead items, oldest first, each with why it died. */
	@GetMapping("/queues/{queue}/dead")
	public List<DeadItemView> dead(@PathVariable String queue, @RequestParam(defaultValue = "100") int limit) {
		requireLimit(limit);
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
