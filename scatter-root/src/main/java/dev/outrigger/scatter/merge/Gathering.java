package dev.outrigger.scatter.merge;

/**
 * One request's merge in progress. The answers arrive one at a time, in any order, on one
 * thread; a merge keeps only what its result needs (topk: the best from + size), so the
 * memory a request holds does not grow with its fan-out where the merge allows.
 */
public interface Gathering {

	/**
	 * Takes the answer of the shard at {@code shard} (its place in the route's order).
	 * @return true when the merge needs no more answers (first, a quorum reached)
	 * @throws UnfitAnswerException if the answer cannot be merged; its leaf counts as
	 * failed
	 */
	boolean add(int shard, LeafAnswer answer);

	/**
	 * The merged answer, from the answers taken so far.
	 * @throws MergeFailedException if they do not make an answer (a quorum not met)
	 */
	Merged result();

}
