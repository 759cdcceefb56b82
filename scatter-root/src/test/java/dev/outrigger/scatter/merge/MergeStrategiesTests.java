package dev.outrigger.scatter.merge;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.outrigger.scatter.RouteProperties;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each merge over answers as leaves send them, with the edge cases of
 * anchors/adapter-scatter.md (ties, missing and NaN scores, paging, duplicates, all
 * empty, quorum not met, overflow).
 */
class MergeStrategiesTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void concatJoinsTheArraysInShardOrderWhateverOrderTheyArrived() {
		Gathering gathering = merge(route("concat", "/hits", null)).begin(request(3));
		gathering.add(2, json("{\"took\":3,\"hits\":[\"c\"]}"));
		gathering.add(0, json("{\"took\":1,\"hits\":[\"a1\",\"a2\"]}"));
		gathering.add(1, json("{\"took\":2,\"hits\":[]}"));
		assertThat(result(gathering)).isEqualTo(tree("{\"took\":1,\"hits\":[\"a1\",\"a2\",\"c\"]}"));
	}

	@Test
	void concatOfArraysThatAreAllEmptyIsAnEmptyArray() {
		Gathering gathering = merge(route("concat", null, null)).begin(request(2));
		gathering.add(0, json("[]"));
		gathering.add(1, json("[]"));
		assertThat(result(gathering)).isEqualTo(tree("[]"));
	}

	@Test
	void concatRefusesAnAnswerWithoutTheArray() {
		Gathering gathering = merge(route("concat", "/hits", null)).begin(request(1));
		assertThatExceptionOfType(UnfitAnswerException.class)
			.isThrownBy(() -> gathering.add(0, json("{\"hits\":{\"a\":1}}")))
			.withMessageContaining("expected a JSON array at \"/hits\"");
		assertThatExceptionOfType(UnfitAnswerException.class).isThrownBy(() -> gathering.add(0, json("<html>")))
			.withMessageContaining("not JSON");
	}

	@Test
	void sumAddsNumbersAtTheSamePointerExactlyAndKeepsTheRestOfTheFirstShard() {
		Gathering gathering = merge(route("sum", null, null)).begin(request(3));
		gathering.add(1, json("{\"count\":9223372036854775807,\"name\":\"b\",\"stats\":{\"ms\":0.25,\"n\":[1,2]}}"));
		gathering.add(0, json("{\"count\":1,\"name\":\"a\",\"stats\":{\"ms\":0.5,\"n\":[10,20]}}"));
		gathering.add(2, json("{\"count\":1,\"only\":{\"x\":5}}"));
		JsonNode sum = result(gathering);
		assertThat(sum.get("count").bigIntegerValue()).hasToString("9223372036854775809");
		assertThat(sum.get("name").stringValue()).isEqualTo("a");
		assertThat(sum.at("/stats/ms").decimalValue()).isEqualByComparingTo("0.75");
		assertThat(sum.at("/stats/n")).isEqualTo(tree("[11,22]"));
		assertThat(sum.at("/only/x").asInt()).isEqualTo(5);
	}

	@Test
	void sumNeverTurnsAnArrayOnlyALaterAnswerHasIntoAnObjectAndKeepsDecimalsDigitForDigit() {
		Gathering gathering = merge(route("sum", null, null)).begin(request(2));
		gathering.add(0, json("{\"n\":1234567890.123456789}"));
		gathering.add(1, json("{\"n\":0.000000001,\"list\":[5]}"));
		JsonNode sum = result(gathering);
		assertThat(sum.get("n").decimalValue()).isEqualByComparingTo("1234567890.123456790");
		assertThat(sum.has("list")).isFalse();
	}

	@Test
	void sumOfNamedFieldsLeavesOtherNumbersAloneAndRefusesAFieldThatIsNotANumber() {
		RouteProperties route = route("sum", null, null, List.of("/total"));
		Gathering gathering = merge(route).begin(request(2));
		gathering.add(0, json("{\"total\":2,\"version\":7}"));
		gathering.add(1, json("{\"total\":3,\"version\":8}"));
		assertThat(result(gathering)).isEqualTo(tree("{\"total\":5,\"version\":7}"));
		assertThatExceptionOfType(UnfitAnswerException.class)
			.isThrownBy(() -> merge(route).begin(request(1)).add(0, json("{\"total\":\"many\"}")))
			.withMessageContaining("expected a number at \"/total\"");
	}

	@Test
	void topkRanksByScoreBreaksTiesByShardThenPlaceAndPutsMissingScoresLast() {
		Gathering gathering = merge(route("topk", "/hits", "/score")).begin(request(3, Map.of("size", List.of("5"))));
		gathering.add(1, json("{\"hits\":[{\"id\":\"b1\",\"score\":5},{\"id\":\"b2\",\"score\":\"NaN\"}]}"));
		gathering.add(0, json("{\"hits\":[{\"id\":\"a1\",\"score\":5},{\"id\":\"a2\",\"score\":1}]}"));
		gathering.add(2, json("{\"hits\":[{\"id\":\"c1\"},{\"id\":\"c2\",\"score\":9}]}"));
		assertThat(ids(result(gathering))).containsExactly("c2", "a1", "b1", "a2", "b2");
	}

	@Test
	void topkAscendingStillPutsMissingScoresLast() {
		RouteProperties route = route("topk", "/hits", "/score", null, "asc", null);
		Gathering gathering = merge(route).begin(request(2));
		gathering.add(0, json("{\"hits\":[{\"id\":\"a\"},{\"id\":\"b\",\"score\":2}]}"));
		gathering.add(1, json("{\"hits\":[{\"id\":\"c\",\"score\":1}]}"));
		assertThat(ids(result(gathering))).containsExactly("c", "b", "a");
	}

	@Test
	void topkPagesWithFromAndSizeAndAsksEveryLeafForTheWholeWindow() {
		MergeStrategy topk = merge(route("topk", "/hits", "/score"));
		Map<String, List<String>> query = Map.of("from", List.of("2"), "size", List.of("2"), "q", List.of("x"));
		assertThat(topk.leafParameters(query)).containsExactly(Map.entry("from", "0"), Map.entry("size", "4"));
		// without paging from the client, the leaves are still asked for the route's size
		assertThat(topk.leafParameters(Map.of())).containsExactly(Map.entry("from", "0"), Map.entry("size", "10"));
		Gathering gathering = topk.begin(request(2, query));
		gathering.add(0, json("{\"hits\":[{\"id\":\"a\",\"score\":10},{\"id\":\"b\",\"score\":8},"
				+ "{\"id\":\"c\",\"score\":6},{\"id\":\"d\",\"score\":4}]}"));
		gathering.add(1, json("{\"hits\":[{\"id\":\"e\",\"score\":9},{\"id\":\"f\",\"score\":7},"
				+ "{\"id\":\"g\",\"score\":5},{\"id\":\"h\",\"score\":3}]}"));
		assertThat(ids(result(gathering))).containsExactly("b", "f");
	}

	@Test
	void topkKeepsTheBetterCopyOfADocumentThatTwoShardsSent() {
		RouteProperties route = route("topk", "/hits", "/score", null, "desc", "/id");
		Gathering gathering = merge(route).begin(request(2));
		gathering.add(0, json("{\"hits\":[{\"id\":\"x\",\"score\":1},{\"id\":\"y\",\"score\":2}]}"));
		gathering.add(1, json("{\"hits\":[{\"id\":\"x\",\"score\":3}]}"));
		JsonNode hits = result(gathering).get("hits");
		assertThat(ids(result(gathering))).containsExactly("x", "y");
		assertThat(hits.get(0).get("score").asInt()).isEqualTo(3);
	}

	@Test
	void topkRefusesAWindowPastItsLimitAndBadPaging() {
		MergeStrategy topk = merge(route("topk", "/hits", "/score"));
		assertThatExceptionOfType(InvalidMergeRequestException.class)
			.isThrownBy(() -> topk.begin(request(1, Map.of("from", List.of("9999"), "size", List.of("2")))))
			.withMessageContaining("at most 10000");
		assertThatExceptionOfType(InvalidMergeRequestException.class)
			.isThrownBy(() -> topk.begin(request(1, Map.of("size", List.of("-1")))))
			.withMessageContaining("\"size\" must be a whole number");
	}

	@Test
	void quorumAnswersOnceEnoughShardsAgreeWhateverTheirKeyOrder() {
		Gathering gathering = merge(route("quorum", null, null)).begin(request(3));
		assertThat(gathering.add(0, json("{\"a\":1,\"b\":2}"))).isFalse();
		assertThat(gathering.add(1, json("{\"a\":1,\"b\":3}"))).isFalse();
		assertThat(gathering.add(2, json("{\"b\":2,\"a\":1}"))).isTrue();
		Merged merged = gathering.result();
		assertThat(merged).isInstanceOf(Merged.Verbatim.class);
		assertThat(tree(new String(((Merged.Verbatim) merged).answer().body(), StandardCharsets.UTF_8)))
			.isEqualTo(tree("{\"a\":1,\"b\":2}"));
	}

	@Test
	void quorumNotMetIsAFailureThatSaysHowCloseItCame() {
		Gathering gathering = merge(route("quorum", null, null)).begin(request(3));
		gathering.add(0, json("1"));
		gathering.add(1, json("2"));
		assertThatExceptionOfType(MergeFailedException.class).isThrownBy(gathering::result)
			.withMessage("quorum not met: 2 equal answers needed of 3 shards, the most alike were 1");
	}

	@Test
	void mergeFoldsObjectsInShardOrderConcatenatesArraysAndTheLowestShardWinsConflicts() {
		Gathering gathering = merge(route("merge", null, null)).begin(request(2));
		gathering.add(1, json("{\"a\":{\"x\":2,\"z\":3},\"list\":[2],\"v\":\"second\"}"));
		gathering.add(0, json("{\"a\":{\"x\":1,\"y\":1},\"list\":[1],\"v\":\"first\"}"));
		assertThat(result(gathering))
			.isEqualTo(tree("{\"a\":{\"x\":1,\"y\":1,\"z\":3},\"list\":[1,2],\"v\":\"first\"}"));
	}

	@Test
	void firstTakesTheFirstAnswerAsItCame() {
		Gathering gathering = merge(route("first", null, null)).begin(request(3));
		LeafAnswer answer = new LeafAnswer(200, "plain".getBytes(StandardCharsets.UTF_8), "text/plain");
		assertThat(gathering.add(2, answer)).isTrue();
		assertThat(gathering.result()).isEqualTo(new Merged.Verbatim(answer));
	}

	@Test
	void badSettingsNameTheSettingAndWhatIsAllowed() {
		assertThatExceptionOfType(InvalidMergeSettingException.class)
			.isThrownBy(() -> merge(route("topk", "/hits", null)))
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo("merge-field"));
		assertThatExceptionOfType(InvalidMergeSettingException.class)
			.isThrownBy(() -> merge(route("median", null, null)))
			.satisfies((ex) -> assertThat(ex.allowed()).contains("concat, sum, topk, first, quorum, merge"));
		assertThatExceptionOfType(InvalidMergeSettingException.class)
			.isThrownBy(() -> merge(route("concat", "hits", null)))
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo("merge-path"));
	}

	private static MergeStrategy merge(RouteProperties route) {
		return Merges.of(route, mapper);
	}

	private static RouteProperties route(String merge, String path, String field) {
		return route(merge, path, field, null, "desc", null);
	}

	private static RouteProperties route(String merge, String path, String field, List<String> fields) {
		return route(merge, path, field, fields, "desc", null);
	}

	private static RouteProperties route(String merge, String path, String field, List<String> fields, String order,
			String id) {
		return new RouteProperties("/", "http://127.0.0.1:1", merge, path, field, order, 10, id, fields, null,
				java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(30), "p95", 5, false, true, "auto",
				List.of("Accept"), org.springframework.util.unit.DataSize.ofMegabytes(1), false,
				java.time.Duration.ofSeconds(10));
	}

	private static MergeRequest request(int shards) {
		return request(shards, Map.of());
	}

	private static MergeRequest request(int shards, Map<String, List<String>> query) {
		return new MergeRequest(shards, query);
	}

	private static LeafAnswer json(String body) {
		return new LeafAnswer(200, body.getBytes(StandardCharsets.UTF_8), "application/json");
	}

	private static JsonNode tree(String json) {
		return mapper.readTree(json);
	}

	private static JsonNode result(Gathering gathering) {
		return ((Merged.Json) gathering.result()).node();
	}

	private static List<String> ids(JsonNode merged) {
		return merged.get("hits").valueStream().map((hit) -> hit.get("id").stringValue()).toList();
	}

}
