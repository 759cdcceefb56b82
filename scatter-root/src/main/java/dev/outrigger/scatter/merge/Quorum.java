package dev.outrigger.scatter.merge;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * {@code quorum}: the answer that {@code q} shards gave alike, sent as one of them sent
 * it. JSON answers are alike when they are equal as JSON (object keys in any order);
 * other answers when their bytes are equal. Done as soon as one answer reaches the
 * quorum; the other calls are cancelled.
 */
final class Quorum implements MergeStrategy {

	private final AnswerJson json;

	private final @Nullable Integer quorum;

	Quorum(AnswerJson json, @Nullable Integer quorum) {
		this.json = json;
		this.quorum = quorum;
	}

	@Override
	public String name() {
		return "quorum";
	}

	/** The quorum for {@code shards}: as configured, or a majority. */
	int needed(int shards) {
		return (this.quorum != null) ? this.quorum : shards / 2 + 1;
	}

	@Override
	public Gathering begin(MergeRequest request) {
		int needed = needed(request.shards());
		Map<Object, Integer> votes = new HashMap<>();
		Map<Object, LeafAnswer> first = new HashMap<>();
		return new Gathering() {

			private @Nullable LeafAnswer agreed;

			private int most;

			@Override
			public boolean add(int shard, LeafAnswer answer) {
				Object key = key(answer);
				int count = votes.merge(key, 1, Integer::sum);
				first.putIfAbsent(key, answer);
				this.most = Math.max(this.most, count);
				if (count >= needed) {
					this.agreed = first.get(key);
					return true;
				}
				return false;
			}

			@Override
			public Merged result() {
				if (this.agreed == null) {
					throw new MergeFailedException("quorum not met: " + needed + " equal answers needed of "
							+ request.shards() + " shards, the most alike were " + this.most);
				}
				return new Merged.Verbatim(this.agreed);
			}

		};
	}

	private Object key(LeafAnswer answer) {
		try {
			JsonNode node = this.json.read(answer);
			return node;
		}
		catch (UnfitAnswerException ex) {
			return ByteBuffer.wrap(answer.body());
		}
	}

}
