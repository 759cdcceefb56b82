package dev.outrigger.scatter.merge;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads leaf answers as JSON and finds, or replaces, the part a merge works on, named by
 * a JSON pointer (RFC 6901; the empty pointer is the whole answer).
 */
final class AnswerJson {

	private final JsonMapper mapper;

	AnswerJson(JsonMapper mapper) {
		// decimals as written, not as the nearest double: sums stay exact, and a merged
		// answer repeats a leaf's numbers digit for digit
		this.mapper = mapper.rebuild().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
	}

	JsonNode read(LeafAnswer answer) {
		try {
			return this.mapper.readTree(answer.body());
		}
		catch (JacksonException ex) {
			throw new UnfitAnswerException("the answer is not JSON: " + ex.getOriginalMessage());
		}
	}

	/** The array at {@code path} in {@code answer}. */
	static ArrayNode arrayAt(JsonNode answer, JsonPointer path) {
		JsonNode found = answer.at(path);
		if (!(found instanceof ArrayNode array)) {
			throw new UnfitAnswerException("expected a JSON array at \"" + path + "\", found "
					+ (found.isMissingNode() ? "nothing" : found.getNodeType().toString().toLowerCase()));
		}
		return array;
	}

	/**
	 * {@code template} with the array at {@code path} replaced by {@code array} (the
	 * array itself when the path is empty).
	 */
	static JsonNode withArray(JsonNode template, JsonPointer path, ArrayNode array) {
		if (path.matches()) {
			return array;
		}
		JsonNode copy = template.deepCopy();
		JsonNode parent = copy.at(path.head());
		if (parent instanceof ObjectNode object) {
			object.set(path.last().getMatchingProperty(), array);
		}
		else if (parent instanceof ArrayNode list) {
			list.set(path.last().getMatchingIndex(), array);
		}
		return copy;
	}

	ArrayNode newArray() {
		return this.mapper.createArrayNode();
	}

}
