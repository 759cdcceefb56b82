package dev.outrigger.scatter.merge;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The answer of the lowest-numbered shard that answered so far: what the merges that keep
 * "the rest of the answer" take it from, the same whatever order the answers raced in.
 */
final class LowestShard {

	private @Nullable JsonNode answer;

	private int shard = Integer.MAX_VALUE;

	void offer(int shard, JsonNode answer) {
		if (shard < this.shard) {
			this.answer = answer;
			this.shard = shard;
		}
	}

	/** The answer kept, or {@code otherwise} when none came. */
	JsonNode orElse(JsonNode otherwise) {
		return (this.answer != null) ? this.answer : otherwise;
	}

}
