package dev.outrigger.work.coordinator.api;

import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.outrigger.work.WorkProperties;
import dev.outrigger.work.coordinator.Accepted;
import dev.outrigger.work.coordinator.SubmissionGate;
import dev.outrigger.work.coordinator.Submissions;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /queues/{queue}/items}: one item or an array of them, answered 202 once
 * Kafka holds them. An {@code Idempotency-Key} header makes a retried submission return
 * the same ids and queue nothing twice. Refusals become problem+json in
 * {@link WorkProblems}.
 */
@RestController
public class SubmissionController {

	private final Submissions submissions;

	private final SubmissionGate gate;

	private final WorkProperties properties;

	public SubmissionController(Submissions submissions, SubmissionGate gate, WorkProperties properties) {
		this.submissions = submissions;
		this.gate = gate;
		this.properties = properties;
	}

	@ClientOperation
	@PostMapping("/queues/{queue}/items")
	public ResponseEntity<Map<String, Object>> submit(@PathVariable String queue, @RequestBody JsonNode body,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
		QueueNames.require(queue);
		this.gate.enter();
		try {
			List<Accepted> accepted = this.submissions.submit(queue,
					SubmissionReader.read(body, this.properties.itemTimeout()),
					(idempotencyKey != null && !idempotencyKey.isBlank()) ? idempotencyKey : null);
			if (body.isObject()) {
				Accepted one = accepted.getFirst();
				return ResponseEntity.accepted()
					.location(URI.create("/items/" + one.id()))
					.body(Map.of("id", one.id(), "duplicate", one.duplicate()));
			}
			return ResponseEntity.accepted().body(Map.of("items", accepted));
		}
		finally {
			this.gate.exit();
		}
	}

}
