package dev.outrigger.scatter.merge;

import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code merge}: JSON objects merged key by key, in shard order: objects recursively,
 * arrays concatenated, and for any other value the lowest-numbered shard's wins. Every
 * answer must be a JSON object.
 */
final class DeepMerge implements MergeStrategy {

	private final AnswerJson json;

	DeepMerge(AnswerJson json) {
		this.json = json;
	}

	@Override
	public String name() {
		return "merge";
	}

	@Override
	public Gathering begin(MergeRequest request) {
		Map<Integer, ObjectNode> answers = new TreeMap<>();
		return new Gathering() {

			@Override
			public boolean add(int shard, LeafAnswer answer) {
				if (!(DeepMerge.this.json.read(answer) instanceof ObjectNode object)) {
					throw new UnfitAnswerException("expected a JSON object to merge");
				}
				answers.put(shard, object);
				return false;
			}

			@Override
			public Merged result() {
				ObjectNode merged = null;
				for (ObjectNode answer : answers.values()) {
					merged = (merged == null) ? answer.deepCopy() : into(merged, answer);
				}
				return new Merged.Json((merged != null) ? merged : DeepMerge.this.json.newArray().objectNode());
			}

		};
	}

	/** Folds {@code later} into {@code merged}, which wins where neither rule applies. */
	static ObjectNode into(ObjectNode merged, ObjectNode later) {
		for (Map.Entry<String, JsonNode> field : later.properties()) {
			JsonNode mine = merged.get(field.getKey());
			JsonNode theirs = field.getValue();
			if (mine == null) {
				merged.set(field.getKey(), theirs.deepCopy());
			}
			else if (mine instanceof ObjectNode object && theirs instanceof ObjectNode other) {
				into(object, other);
			}
			else if (mine instanceof ArrayNode array && theirs instanceof ArrayNode other) {
				array.addAll(other.deepCopy());
			}
		}
		return merged;
	}

}
