package dev.outrigger.scatter.gather;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What the root tells the client about its leaves, beside the merged answer
 * (Elasticsearch's {@code _shards} and {@code timed_out}):
 * {@code total = successful + failed + timedOut +
 * skipped}; skipped shards were not waited for because the merge had its answer (first,
 * quorum).
 *
 * @param total shards asked
 * @param successful shards whose answer was merged
 * @param failed shards that answered with an error, could not be reached, or sent an
 * answer the merge could not use
 * @param timedOut shards with no answer by the deadline
 * @param skipped shards not waited for
 * @param hedged shards that got a backup call
 * @param leaves each shard's outcome, in the route's order
 */
public record ScatterReport(int total, int successful, int failed, int timedOut, int skipped, int hedged,
		List<Leaf> leaves) {

	static ScatterReport of(LeafOutcome[] outcomes) {
		List<Leaf> leaves = Arrays.stream(outcomes).map(Leaf::of).toList();
		return new ScatterReport(outcomes.length, count(outcomes, LeafOutcome.Result.SUCCEEDED),
				count(outcomes, LeafOutcome.Result.FAILED), count(outcomes, LeafOutcome.Result.TIMED_OUT),
				count(outcomes, LeafOutcome.Result.SKIPPED),
				(int) Arrays.stream(outcomes).filter(LeafOutcome::hedged).count(), leaves);
	}

	private static int count(LeafOutcome[] outcomes, LeafOutcome.Result result) {
		return (int) Arrays.stream(outcomes).filter((outcome) -> outcome.result() == result).count();
	}

	/** Whether some shard is missing from the answer. */
	public boolean partial() {
		return this.failed + this.timedOut > 0;
	}

	/**
	 * One shard's outcome.
	 *
	 * @param shard its name
	 * @param leaf the replica that answered, or the last one tried
	 * @param result succeeded, failed, timed_out or skipped
	 * @param status the leaf's HTTP status, or null when it gave none
	 * @param millis from its first call to its outcome
	 * @param hedged whether it got a backup call
	 * @param error why it failed, or null
	 */
	public record Leaf(String shard, @Nullable String leaf, String result, @Nullable Integer status, long millis,
			boolean hedged, @Nullable String error) {

		static Leaf of(LeafOutcome outcome) {
			return new Leaf(outcome.shardId(), (outcome.leaf() != null) ? outcome.leaf().toString() : null,
					outcome.result().name().toLowerCase(Locale.ROOT), (outcome.status() > 0) ? outcome.status() : null,
					outcome.nanos() / 1_000_000, outcome.hedged(), outcome.error());
		}

	}

}
