package dev.outrigger.scatter.gather;

import java.time.Duration;
import java.util.Set;

import dev.outrigger.scatter.Hedging;
import dev.outrigger.scatter.LeafDirectory;
import dev.outrigger.scatter.merge.MergeStrategy;

/**
 * A route, ready to serve: requests under {@code prefix} fan out over the directory's
 * shards and are merged.
 *
 * @param prefix the path prefix, such as {@code /search} ({@code /} for every path)
 * @param directory where its leaves are
 * @param merge how answers become one
 * @param hedging when a shard call gets a backup
 * @param timeout the deadline of a request that names none
 * @param maxTimeout the longest deadline a request may name
 * @param partialResults whether some leaves failing still gives an answer
 * @param report where the report goes
 * @param forwardHeaders request headers passed on, in lower case
 * @param maxLeafBytes the largest leaf answer taken
 * @param stripPrefix whether the prefix is cut from the path the leaves get
 */
public record Route(String prefix, LeafDirectory directory, MergeStrategy merge, Hedging hedging, Duration timeout,
		Duration maxTimeout, boolean partialResults, ReportPlacement report, Set<String> forwardHeaders,
		long maxLeafBytes, boolean stripPrefix) {

	/** Whether {@code path} takes this route: the prefix, then the end or a {@code /}. */
	public boolean matches(String path) {
		if (this.prefix.equals("/")) {
			return true;
		}
		return path.startsWith(this.prefix)
				&& (path.length() == this.prefix.length() || path.charAt(this.prefix.length()) == '/');
	}

	/** The path a leaf gets for {@code path}. */
	public String leafPath(String path) {
		if (!this.stripPrefix || this.prefix.equals("/")) {
			return path;
		}
		String rest = path.substring(this.prefix.length());
		return rest.isEmpty() ? "/" : rest;
	}

	/** Where the report goes. */
	public enum ReportPlacement {

		/**
		 * In the body's {@code _scatter} field when the merged body is a JSON object,
		 * else in headers.
		 */
		AUTO,

		/**
		 * In the body's {@code _scatter} field; a merged body that is not a JSON object
		 * is wrapped.
		 */
		BODY,

		/** In {@code Outrigger-Scatter-*} headers only. */
		HEADERS

	}

}
