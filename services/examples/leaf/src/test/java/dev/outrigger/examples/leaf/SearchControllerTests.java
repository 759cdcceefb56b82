package dev.outrigger.examples.leaf;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leaf's answers: the same for the same question, best first, paged, and a failure
 * when it is told to fail.
 */
class SearchControllerTests {

	@Test
	void answersRepeatComeBestFirstAndPage() throws Exception {
		SearchController leaf = new SearchController(properties("a", 0));
		List<SearchController.Hit> all = hits(leaf.search("boat", 0, 100));
		assertThat(all).isNotEmpty().isEqualTo(hits(leaf.search("boat", 0, 100)));
		assertThat(all).extracting(SearchController.Hit::score).isSortedAccordingTo((x, y) -> Integer.compare(y, x));
		assertThat(hits(leaf.search("boat", 2, 3))).isEqualTo(all.subList(2, 5));
		assertThat(all).allSatisfy((hit) -> assertThat(hit.id()).startsWith("a-"));
		assertThat(leaf.count("boat").getBody()).containsEntry("count", all.size());
	}

	@Test
	void aLeafToldToFailAnswers503() throws Exception {
		ResponseEntity<Map<String, Object>> answer = new SearchController(properties("b", 100)).search("x", 0, 10);
		assertThat(answer.getStatusCode().value()).isEqualTo(503);
		assertThat(answer.getBody()).containsEntry("shard", "b");
	}

	@SuppressWarnings("unchecked")
	private static List<SearchController.Hit> hits(ResponseEntity<Map<String, Object>> answer) {
		return (List<SearchController.Hit>) answer.getBody().get("hits");
	}

	private static LeafProperties properties(String name, double failPercent) {
		return new LeafProperties(name, 100, Duration.ZERO, 0, Duration.ofSeconds(1), failPercent);
	}

}
