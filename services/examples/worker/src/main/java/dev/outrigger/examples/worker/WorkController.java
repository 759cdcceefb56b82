package dev.outrigger.examples.worker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /work}: counts the words of the payload's {@code text} and echoes the
 * payload. Two payload fields play a worker's troubles for demos and tests:
 * {@code sleepMs} takes that long, {@code failStatus} answers with that HTTP status
 * instead.
 */
@RestController
public class WorkController {

	@PostMapping("/work")
	public ResponseEntity<Map<String, Object>> work(@RequestBody JsonNode payload,
			@RequestHeader(name = "Outrigger-Item-Id", defaultValue = "") String itemId,
			@RequestHeader(name = "Outrigger-Attempt", defaultValue = "1") int attempt) throws InterruptedException {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("item", itemId);
		result.put("attempt", attempt);
		if (payload.has("sleepMs")) {
			Thread.sleep(Duration.ofMillis(payload.get("sleepMs").asLong()));
		}
		if (payload.has("failStatus")) {
			result.put("error", "failing on purpose");
			return ResponseEntity.status(payload.get("failStatus").asInt()).body(result);
		}
		String text = payload.path("text").asString("");
		result.put("words", text.isBlank() ? 0 : text.strip().split("\\s+").length);
		result.put("payload", payload);
		return ResponseEntity.ok(result);
	}

}
