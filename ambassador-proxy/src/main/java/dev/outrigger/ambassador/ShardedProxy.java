package dev.outrigger.ambassador;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One way in to the shards: the RESP proxy, or HTTP sharding. What the lifecycle and
 * {@code GET /shards} need of it, so that neither knows which runs.
 */
public interface ShardedProxy {

	/**
	 * Its name in {@code GET /shards}.
	 * @return {@code redis} or {@code http}
	 */
	String kind();

	/**
	 * Its shards as {@code GET /shards} shows them.
	 * @return one entry per shard
	 */
	List<?> shards();

	/**
	 * Why it cannot take traffic now.
	 * @return one line for the readiness report, or null when it is ready
	 */
	@Nullable String notReady();

	/**
	 * Stops taking new clients and waits, within the deadline, for the requests in
	 * flight. Does nothing by default: a proxy whose listener the web server owns drains
	 * with it.
	 * @param deadline how long to wait at most
	 */
	default void drain(Duration deadline) {
	}

}
