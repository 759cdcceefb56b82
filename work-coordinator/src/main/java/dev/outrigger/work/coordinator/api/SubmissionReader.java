package dev.outrigger.work.coordinator.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.outrigger.kit.problem.BadRequestException;
import dev.outrigger.kit.problem.DurationParameter;
import dev.outrigger.work.coordinator.Submission;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a submission body — one item object or an array of them — with a 400 that names
 * the field and the item for anything wrong.
 */
final class SubmissionReader {

	private static final Set<String> FIELDS = Set.of("payload", "key", "maxAttempts", "timeout", "callbackUrl");

	private static final int MAX_ITEMS = 1000;

	private SubmissionReader() {
	}

	static List<Submission> read(JsonNode body, Duration defaultTimeout) {
		if (body.isObject()) {
			return List.of(item(body, "", defaultTimeout));
		}
		if (!body.isArray() || body.isEmpty()) {
			throw new BadRequestException("expected an item {\"payload\": …} or a non-empty array of items");
		}
		if (body.size() > MAX_ITEMS) {
			throw new BadRequestException("at most " + MAX_ITEMS + " items per submission, got " + body.size());
		}
		List<Submission> items = new ArrayList<>(body.size());
		for (int i = 0; i < body.size(); i++) {
			JsonNode item = body.get(i);
			if (!item.isObject()) {
				throw new BadRequestException("item " + i + ": expected an object {\"payload\": …}");
			}
			items.add(item(item, "item " + i + ": ", defaultTimeout));
		}
		return items;
	}

	private static Submission item(JsonNode node, String where, Duration defaultTimeout) {
		for (String field : node.propertyNames()) {
			if (!FIELDS.contains(field)) {
				throw new BadRequestException(where + "unknown field \"" + field + "\"; an item has " + FIELDS);
			}
		}
		if (!node.has("payload")) {
			throw new BadRequestException(where + "\"payload\" is required (any JSON, null included)");
		}
		return new Submission(node.get("payload"), text(node, "key", where), maxAttempts(node, where),
				timeout(node, where, defaultTimeout), callbackUrl(node, where));
	}

	private static @Nullable String text(JsonNode node, String field, String where) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw new BadRequestException(where + "\"" + field + "\" must be a string");
		}
		return value.asString();
	}

	private static @Nullable Integer maxAttempts(JsonNode node, String where) {
		JsonNode value = node.get("maxAttempts");
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.canConvertToInt() || !value.isIntegralNumber()) {
			throw new BadRequestException(where + "\"maxAttempts\" must be a whole number");
		}
		return value.asInt();
	}

	private static @Nullable Duration timeout(JsonNode node, String where, Duration defaultTimeout) {
		JsonNode value = node.get("timeout");
		if (value == null || value.isNull()) {
			return null;
		}
		if (value.isIntegralNumber()) {
			return Duration.ofMillis(value.asLong());
		}
		if (!value.isString()) {
			throw new BadRequestException(where + "\"timeout\" must be a duration such as \"30s\" or milliseconds");
		}
		return new DurationParameter(where + "\"timeout\"", Duration.ofMillis(1), Duration.ofHours(12), defaultTimeout)
			.parse(value.asString());
	}

	private static @Nullable URI callbackUrl(JsonNode node, String where) {
		String value = text(node, "callbackUrl", where);
		if (value == null) {
			return null;
		}
		try {
			URI uri = new URI(value);
			if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
				throw new BadRequestException(where + "\"callbackUrl\" must be an http:// or https:// URL");
			}
			return uri;
		}
		catch (URISyntaxException ex) {
			throw new BadRequestException(where + "\"callbackUrl\" is not a URL: " + ex.getMessage());
		}
	}

}
