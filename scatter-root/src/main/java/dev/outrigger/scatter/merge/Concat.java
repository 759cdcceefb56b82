package dev.outrigger.scatter.merge;

import java.util.Map;
import java.util.TreeMap;

import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * {@code concat}: the arrays at the route's path, one after another in shard order; the
 * rest of the answer is the lowest-numbered answering shard's.
 */
final class Concat implements MergeStrategy {

	private final AnswerJson json;

	private final JsonPointer path;

	Concat(AnswerJson json, JsonPointer path) {
		this.json = json;
		this.path = path;
	}

	@Override
	public String name() {
		return "concat";
	}

	@Override
	public Gathering begin(MergeRequest request) {
		Map<Integer, JsonNode> answers = new TreeMap<>();
		return new Gathering() {

			@Override
			public boolean add(int shard, LeafAnswer answer) {
				JsonNode node = Concat.this.json.read(answer);
				AnswerJson.arrayAt(node, Concat.this.path);
				answers.put(shard, node);
				return false;
			}

			@Override
			public Merged result() {
				ArrayNode all = Concat.this.json.newArray();
				answers.values().forEach((node) -> all.addAll(AnswerJson.arrayAt(node, Concat.this.path)));
				JsonNode template = answers.isEmpty() ? all : answers.values().iterator().next();
				return new Merged.Json(AnswerJson.withArray(template, Concat.this.path, all));
			}

		};
	}

}
