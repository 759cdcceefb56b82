package dev.outrigger.scatter.merge;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a merge knows of the request it merges answers for.
 *
 * @param shards how many shards the request went to
 * @param query the client's query parameters (topk reads {@code from} and {@code size})
 */
public record MergeRequest(int shards, Map<String, List<String>> query) {

	/** The first value of query parameter {@code name}, or null. */
	public @Nullable String parameter(String name) {
		List<String> values = this.query.get(name);
		return (values == null || values.isEmpty()) ? null : values.getFirst();
	}

}
