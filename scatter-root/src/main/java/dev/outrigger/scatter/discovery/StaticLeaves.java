package dev.outrigger.scatter.discovery;

import java.util.List;

import dev.outrigger.scatter.LeafDirectory;
import dev.outrigger.scatter.Shard;

/**
 * Leaves listed in the configuration.
 */
public final class StaticLeaves implements LeafDirectory {

	private final List<Shard> shards;

	public StaticLeaves(List<Shard> shards) {
		this.shards = List.copyOf(shards);
	}

	@Override
	public List<Shard> shards() {
		return this.shards;
	}

	@Override
	public String describe() {
		return "static list of " + this.shards.size() + " shard" + ((this.shards.size() == 1) ? "" : "s");
	}

}
