package dev.outrigger.scatter.gather;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A client's request, as the leaves will get it.
 *
 * @param method the HTTP method
 * @param path the path as received (still encoded)
 * @param rawQuery the query as received, or null
 * @param query the query's parameters, decoded (for the merge)
 * @param headers the headers the route forwards, by name as received
 * @param body the request body (empty for none)
 * @param deadlineNanos when the answer is due, on {@link System#nanoTime()}'s clock
 */
public record ScatterRequest(String method, String path, @Nullable String rawQuery, Map<String, List<String>> query,
		Map<String, List<String>> headers, byte[] body, long deadlineNanos) {

	/** Nanoseconds left until the deadline (0 or less when it passed). */
	public long remainingNanos() {
		return this.deadlineNanos - System.nanoTime();
	}

}
