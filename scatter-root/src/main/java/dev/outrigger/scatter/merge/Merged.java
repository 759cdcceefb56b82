package dev.outrigger.scatter.merge;

import tools.jackson.databind.JsonNode;

/**
 * A merge's result: JSON the root built, or one leaf's answer passed on as it came.
 */
public sealed interface Merged {

	/** JSON built from the answers; the report may go into it. */
	record Json(JsonNode node) implements Merged {
	}

	/**
	 * One leaf's answer, which stays as the leaf shaped it; the report goes in headers.
	 */
	record Verbatim(LeafAnswer answer) implements Merged {
	}

}
