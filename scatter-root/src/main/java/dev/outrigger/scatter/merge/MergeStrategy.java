package dev.outrigger.scatter.merge;

import java.util.List;
import java.util.Map;

/**
 * How a route turns its leaves' answers into one: concat, sum, topk, first, quorum or
 * merge.
 */
public interface MergeStrategy {

	/** Its name in the configuration. */
	String name();

	/**
	 * Starts merging one request's answers.
	 * @throws InvalidMergeRequestException if the request asks for what this merge cannot
	 * give (a page beyond the window)
	 */
	Gathering begin(MergeRequest request);

	/**
	 * The query the leaves get for the client's {@code query}: the same, except where a
	 * merge must ask every leaf for more (topk: from 0, size from + size).
	 */
	default Map<String, List<String>> leafQuery(Map<String, List<String>> query) {
		return query;
	}

}
