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
	 * Query parameters the leaves get in place of the client's, where a merge must ask
	 * every leaf for more than the client asked the root for (topk: from 0, size from +
	 * size); none by default.
	 * @param query the client's query parameters
	 */
	default Map<String, String> leafParameters(Map<String, List<String>> query) {
		return Map.of();
	}

}
