package dev.outrigger.scatter.gather;

import java.net.URI;

import dev.outrigger.scatter.merge.LeafAnswer;
import org.jspecify.annotations.Nullable;

/**
 * How one shard's call ended.
 *
 * @param shard the shard's place in the route's order
 * @param shardId the shard's name
 * @param leaf the replica that answered, or the last one tried
 * @param result what happened
 * @param status the leaf's HTTP status, or 0 when it gave none
 * @param nanos from the first call to this outcome
 * @param error why it failed, or null
 * @param hedged whether a backup was sent
 * @param answer the answer, while it is being merged; null after
 */
record LeafOutcome(int shard, String shardId, @Nullable URI leaf, Result result, int status, long nanos,
		@Nullable String error, boolean hedged, @Nullable LeafAnswer answer) {

	static LeafOutcome failed(int shard, String shardId, @Nullable URI leaf, int status, long nanos, String error,
			boolean hedged) {
		return new LeafOutcome(shard, shardId, leaf, Result.FAILED, status, nanos, error, hedged, null);
	}

	/** The same outcome, its answer let go. */
	LeafOutcome withoutAnswer() {
		return new LeafOutcome(this.shard, this.shardId, this.leaf, this.result, this.status, this.nanos, this.error,
				this.hedged, null);
	}

	/** A success whose answer the merge could not take. */
	LeafOutcome unfit(String why) {
		return new LeafOutcome(this.shard, this.shardId, this.leaf, Result.FAILED, this.status, this.nanos,
				"unusable answer: " + why, this.hedged, null);
	}

	/** The ends a shard call can have. */
	enum Result {

		SUCCEEDED, FAILED, TIMED_OUT, SKIPPED

	}

}
