package dev.outrigger.scatter.merge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * {@code topk}: the best elements of every shard's array by a score field, paged with the
 * client's {@code from} and {@code size} (or the route's size) as Elasticsearch's query
 * phase does: every leaf is asked for its best from + size (from 0), and the root keeps
 * the best from + size over all of them as answers arrive, so a request holds no more
 * than that however many shards answer.
 * <ul>
 * <li>Order: by score (desc or asc); an element whose score is missing, not a number or
 * NaN comes after every scored one, in either order.</li>
 * <li>Ties: the lower-numbered shard first, then the leaf's own order — so a page is the
 * same however the answers raced, and pages do not overlap.</li>
 * <li>Duplicates: with an id field, an id seen from two shards is kept once, the better
 * copy.</li>
 * <li>The window, from + size, is at most {@value #WINDOW} (Elasticsearch's
 * {@code max_result_window}).</li>
 * </ul>
 */
final class TopK implements MergeStrategy {

	static final int WINDOW = 10_000;

	private final AnswerJson json;

	private final JsonPointer path;

	private final JsonPointer score;

	private final boolean descending;

	private final int defaultSize;

	private final @Nullable JsonPointer id;

	TopK(AnswerJson json, JsonPointer path, JsonPointer score, boolean descending, int defaultSize,
			@Nullable JsonPointer id) {
		this.json = json;
		this.path = path;
		this.score = score;
		this.descending = descending;
		this.defaultSize = defaultSize;
		this.id = id;
	}

	@Override
	public String name() {
		return "topk";
	}

	/**
	 * Every leaf is asked for the whole window, from 0, whatever the client sent: a leaf
	 * left to its own default page size could leave out what belongs on the root's page.
	 */
	@Override
	public Map<String, String> leafParameters(Map<String, List<String>> query) {
		Page page = page(query);
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("from", "0");
		parameters.put("size", Integer.toString(page.from() + page.size()));
		return parameters;
	}

	@Override
	public Gathering begin(MergeRequest request) {
		Page page = page(request.query());
		int window = page.from() + page.size();
		TreeSet<Hit> best = new TreeSet<>(order());
		Map<String, Hit> byId = new HashMap<>();
		return new Gathering() {

			private final LowestShard base = new LowestShard();

			@Override
			public boolean add(int shard, LeafAnswer answer) {
				JsonNode node = TopK.this.json.read(answer);
				ArrayNode elements = AnswerJson.arrayAt(node, TopK.this.path);
				for (int i = 0; i < elements.size(); i++) {
					offer(new Hit(scoreOf(elements.get(i)), shard, i, elements.get(i), idOf(elements.get(i))));
				}
				this.base.offer(shard, node);
				return false;
			}

			private void offer(Hit hit) {
				if (window == 0) {
					return;
				}
				if (hit.id() != null) {
					Hit seen = byId.get(hit.id());
					if (seen != null) {
						if (best.comparator().compare(hit, seen) >= 0) {
							return;
						}
						best.remove(seen);
					}
					byId.put(hit.id(), hit);
				}
				best.add(hit);
				if (best.size() > window) {
					Hit dropped = best.pollLast();
					if (dropped.id() != null && byId.get(dropped.id()) == dropped) {
						byId.remove(dropped.id());
					}
				}
			}

			@Override
			public Merged result() {
				ArrayNode out = TopK.this.json.newArray();
				List<Hit> ranked = new ArrayList<>(best);
				for (int i = page.from(); i < ranked.size(); i++) {
					out.add(ranked.get(i).element());
				}
				JsonNode template = this.base.orElse(out);
				return new Merged.Json(AnswerJson.withArray(template, TopK.this.path, out));
			}

		};
	}

	private Page page(Map<String, List<String>> query) {
		int from = number(query, "from", 0);
		int size = number(query, "size", this.defaultSize);
		if ((long) from + size > WINDOW) {
			throw new InvalidMergeRequestException(
					"from + size must be at most " + WINDOW + ", was " + ((long) from + size));
		}
		return new Page(from, size);
	}

	private static int number(Map<String, List<String>> query, String name, int fallback) {
		List<String> values = query.get(name);
		if (values == null || values.isEmpty()) {
			return fallback;
		}
		try {
			int value = Integer.parseInt(values.getFirst().strip());
			if (value >= 0) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new InvalidMergeRequestException(
				"\"" + name + "\" must be a whole number of 0 or more, was \"" + values.getFirst() + "\"");
	}

	private double scoreOf(JsonNode element) {
		JsonNode value = element.at(this.score);
		return value.isNumber() ? value.doubleValue() : Double.NaN;
	}

	private @Nullable String idOf(JsonNode element) {
		if (this.id == null) {
			return null;
		}
		JsonNode value = element.at(this.id);
		return (value.isMissingNode() || value.isNull()) ? null : value.toString();
	}

	/**
	 * Scored before unscored, then by score, then by shard, then by place in the leaf.
	 */
	private Comparator<Hit> order() {
		Comparator<Hit> byScore = (a, b) -> this.descending ? Double.compare(b.score(), a.score())
				: Double.compare(a.score(), b.score());
		return Comparator.comparing((Hit hit) -> Double.isNaN(hit.score()))
			.thenComparing(byScore)
			.thenComparingInt(Hit::shard)
			.thenComparingInt(Hit::position);
	}

	private record Page(int from, int size) {
	}

	private record Hit(double score, int shard, int position, JsonNode element, @Nullable String id) {
	}

}
