package dev.outrigger.ambassador.resp;

import dev.outrigger.ambassador.Shard;

/**
 * One shard as {@code GET /shards} shows it.
 *
 * @param shard the shard
 * @param state UP, DOWN (failing, keys still placed on it) or EJECTED (out of the ring)
 * @param share fraction of the key space the current ring gives it (0 when ejected)
 * @param ops requests answered by it
 * @param errors requests that failed (timeout, unavailable) or got an error reply
 * @param latency round trips of answered requests
 * @param lastFailure the most recent failure, or empty
 */
public record ShardStatus(Shard shard, State state, double share, long ops, long errors, Latency latency,
		String lastFailure) {

	public enum State {

		UP, DOWN, EJECTED

	}

	/** Round-trip summary in milliseconds. */
	public record Latency(long count, double meanMillis, double maxMillis) {
	}

}
