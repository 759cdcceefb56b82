package dev.outrigger.scatter;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Where a route's leaves are: a static list, DNS, or Kubernetes. Membership may change at
 * any time; a request fans out over the shards it read when it started.
 */
public interface LeafDirectory extends AutoCloseable {

	/** The shards now, in a stable order (the report and the merges use it). */
	List<Shard> shards();

	/**
	 * For operators: where the leaves come from, such as {@code dns leaves.default.svc}.
	 */
	String describe();

	/** Why the directory has no shards yet, or null when it has some or needs none. */
	default @Nullable String problem() {
		return shards().isEmpty() ? describe() + " names no leaves" : null;
	}

	@Override
	default void close() {
	}

}
