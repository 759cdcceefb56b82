package dev.outrigger.scatter.merge;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code sum}: the numbers at the same JSON pointer in every answer added up (all of
 * them, or the configured ones); everything else is the lowest-numbered answering
 * shard's. Sums are exact and cannot overflow: integers stay integers however large, and
 * a sum with a fraction in any of its parts is a decimal. Each answer is added as it
 * arrives and only the sums and one answer are kept.
 */
final class Sum implements MergeStrategy {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private final AnswerJson json;

	private final @Nullable Set<String> fields;

	/**
	 * @param fields JSON pointers of the numbers to add; null for every number
	 */
	Sum(AnswerJson json, @Nullable Set<JsonPointer> fields) {
		this.json = json;
		this.fields = (fields != null) ? fields.stream().map(JsonPointer::toString).collect(Collectors.toSet()) : null;
	}

	@Override
	public String name() {
		return "sum";
	}

	@Override
	public Gathering begin(MergeRequest request) {
		Map<String, Total> totals = new LinkedHashMap<>();
		return new Gathering() {

			private final LowestShard base = new LowestShard();

			@Override
			public boolean add(int shard, LeafAnswer answer) {
				JsonNode node = Sum.this.json.read(answer);
				Map<String, JsonNode> numbers = new LinkedHashMap<>();
				collect(node, "", numbers);
				if (Sum.this.fields != null) {
					for (String field : Sum.this.fields) {
						JsonNode value = node.at(field);
						if (!value.isMissingNode() && !value.isNull() && !value.isNumber()) {
							throw new UnfitAnswerException("expected a number at \"" + field + "\"");
						}
					}
				}
				numbers.forEach((pointer, number) -> totals.computeIfAbsent(pointer, (key) -> new Total()).add(number));
				this.base.offer(shard, node);
				return false;
			}

			@Override
			public Merged result() {
				JsonNode merged = this.base.orElse(NODES.objectNode()).deepCopy();
				totals.forEach((pointer, total) -> set(merged, JsonPointer.compile(pointer), total.node()));
				return new Merged.Json(merged);
			}

		};
	}

	private void collect(JsonNode node, String pointer, Map<String, JsonNode> numbers) {
		if (node.isNumber()) {
			if (this.fields == null || this.fields.contains(pointer)) {
				numbers.put(pointer, node);
			}
		}
		else if (node instanceof ObjectNode object) {
			for (Map.Entry<String, JsonNode> field : object.properties()) {
				collect(field.getValue(), pointer + "/" + escape(field.getKey()), numbers);
			}
		}
		else if (node instanceof ArrayNode array) {
			for (int i = 0; i < array.size(); i++) {
				collect(array.get(i), pointer + "/" + i, numbers);
			}
		}
	}

	private static String escape(String name) {
		return name.replace("~", "~0").replace("/", "~1");
	}

	/**
	 * Puts {@code value} at {@code pointer}, making the objects on the way; a number only
	 * some answers had lands where the base answer's shape lets it.
	 */
	private static void set(JsonNode root, JsonPointer pointer, JsonNode value) {
		if (pointer.matches()) {
			return;
		}
		JsonNode parent = root;
		JsonPointer rest = pointer;
		while (!rest.tail().matches()) {
			String name = rest.getMatchingProperty();
			JsonNode next = (parent instanceof ArrayNode array) ? array.get(rest.getMatchingIndex()) : parent.get(name);
			// a missing object is made; a missing array is not (its shape is unknown)
			if (next == null && parent instanceof ObjectNode object && rest.tail().getMatchingIndex() < 0) {
				next = object.putObject(name);
			}
			if (next == null || !next.isContainer()) {
				return;
			}
			parent = next;
			rest = rest.tail();
		}
		if (parent instanceof ObjectNode object) {
			object.set(rest.getMatchingProperty(), value);
		}
		else if (parent instanceof ArrayNode array) {
			int index = rest.getMatchingIndex();
			if (index >= 0 && index < array.size()) {
				array.set(index, value);
			}
			else if (index == array.size()) {
				array.add(value);
			}
		}
	}

	/** One pointer's sum so far. */
	private static final class Total {

		private BigDecimal sum = BigDecimal.ZERO;

		private boolean integral = true;

		void add(JsonNode number) {
			this.sum = this.sum.add(number.decimalValue());
			this.integral &= number.isIntegralNumber();
		}

		JsonNode node() {
			if (!this.integral) {
				return NODES.numberNode(this.sum);
			}
			BigInteger whole = this.sum.toBigIntegerExact();
			// the smallest type that holds it, as a parser would read the same digits
			if (whole.bitLength() < 32) {
				return NODES.numberNode(whole.intValue());
			}
			return (whole.bitLength() < 64) ? NODES.numberNode(whole.longValue()) : NODES.numberNode(whole);
		}

	}

}
