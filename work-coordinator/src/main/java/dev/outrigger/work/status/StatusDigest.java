package dev.outrigger.work.status;

import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;

/**
 * What an agent needs to know of an item's latest status: whether a delivery is stale (a
 * newer generation exists) or settled (its generation finished). Read from a status
 * record's headers, so an agent keeps one small entry per item and parses no JSON.
 *
 * @param generation see {@link dev.outrigger.work.item.WorkItem#generation()}
 * @param state where the item is in that generation
 */
public record StatusDigest(int generation, ItemState state) {

	public static StatusDigest of(ItemStatus status) {
		return new StatusDigest(status.generation(), status.state());
	}

	/**
	 * Whether nothing is left to do for a delivery of generation {@code generation}: it
	 * is superseded by a newer one, or its generation finished (cancelled, or settled by
	 * another delivery).
	 */
	public boolean settles(int generation) {
		return this.generation > generation || (this.generation == generation && this.state.finished());
	}

	/**
	 * The same rule as {@link ItemStatus#supersededBy}, which depends on these two facts
	 * only.
	 */
	boolean supersededBy(StatusDigest next) {
		return ItemStatus.supersedes(this.generation, this.state, next.generation, next.state);
	}

}
