package dev.outrigger.scatter.merge;

/**
 * {@code first}: the first successful answer, as the leaf sent it; the other calls are
 * cancelled. For shards that each hold all the data (replicas of one service), to take
 * the quickest.
 */
final class First implements MergeStrategy {

	@Override
	public String name() {
		return "first";
	}

	@Override
	public Gathering begin(MergeRequest request) {
		return new Gathering() {

			private LeafAnswer first;

			@Override
			public boolean add(int shard, LeafAnswer answer) {
				this.first = answer;
				return true;
			}

			@Override
			public Merged result() {
				if (this.first == null) {
					throw new MergeFailedException("no leaf answered");
				}
				return new Merged.Verbatim(this.first);
			}

		};
	}

}
