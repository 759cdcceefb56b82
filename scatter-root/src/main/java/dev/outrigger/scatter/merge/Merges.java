package dev.outrigger.scatter.merge;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.outrigger.scatter.RouteProperties;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds a route's merge from its settings.
 */
public final class Merges {

	/** The names a route may use. */
	public static final Set<String> NAMES = Set.of("concat", "sum", "topk", "first", "quorum", "merge");

	private Merges() {
	}

	/**
	 * The merge a route's settings describe.
	 * @throws InvalidMergeSettingException naming the setting (in kebab case, such as
	 * {@code merge-field}) and what it may be
	 */
	public static MergeStrategy of(RouteProperties route, JsonMapper mapper) {
		AnswerJson json = new AnswerJson(mapper);
		String name = route.merge().strip().toLowerCase(Locale.ROOT);
		JsonPointer path = pointer("merge-path", (route.mergePath() != null) ? route.mergePath() : "");
		return switch (name) {
			case "concat" -> new Concat(json, path);
			case "first" -> new First();
			case "merge" -> new DeepMerge(json);
			case "sum" -> new Sum(json,
					(route.mergeFields() != null) ? route.mergeFields()
						.stream()
						.map((field) -> pointer("merge-fields", field))
						.collect(Collectors.toSet()) : null);
			case "quorum" -> {
				if (route.mergeQuorum() != null && route.mergeQuorum() < 1) {
					throw new InvalidMergeSettingException("merge-quorum", route.mergeQuorum().toString(),
							"expected 1 or more (unset: a majority of the shards)");
				}
				yield new Quorum(json, route.mergeQuorum());
			}
			case "topk" -> {
				if (route.mergeField() == null || route.mergeField().isBlank()) {
					throw new InvalidMergeSettingException("merge-field", "",
							"topk needs the score's JSON pointer within an element, such as /score");
				}
				String order = route.mergeOrder().strip().toLowerCase(Locale.ROOT);
				if (!order.equals("desc") && !order.equals("asc")) {
					throw new InvalidMergeSettingException("merge-order", route.mergeOrder(), "expected desc or asc");
				}
				if (route.mergeSize() < 0 || route.mergeSize() > TopK.WINDOW) {
					throw new InvalidMergeSettingException("merge-size", Integer.toString(route.mergeSize()),
							"expected 0 to " + TopK.WINDOW);
				}
				yield new TopK(json, path, pointer("merge-field", route.mergeField()), order.equals("desc"),
						route.mergeSize(), (route.mergeId() != null) ? pointer("merge-id", route.mergeId()) : null);
			}
			default -> throw new InvalidMergeSettingException("merge", route.merge(),
					"expected one of concat, sum, topk, first, quorum, merge");
		};
	}

	private static JsonPointer pointer(String setting, String text) {
		try {
			return JsonPointer.compile(text);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidMergeSettingException(setting, text, "expected a JSON pointer such as /hits or /score");
		}
	}

}
