package dev.outrigger.work.coordinator;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One item as a producer submits it.
 *
 * @param payload the JSON the worker receives
 * @param key a partitioning key: items with the same key land on the same partition
 * @param maxAttempts worker calls before the item is dead; default
 * {@code OUTRIGGER_WORK_MAX_ATTEMPTS}
 * @param timeout the time one worker call may take; default
 * {@code OUTRIGGER_WORK_ITEM_TIMEOUT}
 * @param callbackUrl POSTed the final status once the item is SUCCEEDED, DEAD or
 * CANCELLED
 */
public record Submission(@Nullable JsonNode payload, @Nullable String key, @Nullable Integer maxAttempts,
		@Nullable Duration timeout, @Nullable URI callbackUrl) {

	public static Submission of(JsonNode payload) {
		return new Submission(payload, null, null, null, null);
	}

}
