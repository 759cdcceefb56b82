package dev.outrigger.scatter;

import java.net.URI;
import java.util.List;

/**
 * One part of the data a route fans out over: every request goes to one of its replicas.
 *
 * @param id how the report names it: its first replica's address and base path
 * @param replicas base URLs of the leaves that hold the same part, at least one
 */
public record Shard(String id, List<URI> replicas) {

	public Shard {
		if (replicas.isEmpty()) {
			throw new IllegalArgumentException("a shard needs at least one replica");
		}
		replicas = List.copyOf(replicas);
	}

	/** A shard of one leaf, named by its address. */
	public static Shard of(URI leaf) {
		return new Shard(nameOf(leaf), List.of(leaf));
	}

	/** A leaf's address and base path, such as {@code 10.0.0.7:8080/search}. */
	public static String nameOf(URI leaf) {
		return leaf.getRawAuthority() + ((leaf.getRawPath() != null) ? leaf.getRawPath() : "");
	}

}
