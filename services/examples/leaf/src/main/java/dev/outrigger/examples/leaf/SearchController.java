package dev.outrigger.examples.leaf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /search?q=…&from=0&size=10}: this leaf's best documents for {@code q}, each
 * with a score that depends only on the leaf, the document and the query (so answers
 * repeat, and a topk merge over several leaves is checkable); {@code GET /count?q=…}: how
 * many of its documents match. Both play the configured latency and failures first.
 */
@RestController
public class SearchController {

	private final LeafProperties leaf;

	public SearchController(LeafProperties leaf) {
		this.leaf = leaf;
	}

	@GetMapping("/search")
	public ResponseEntity<Map<String, Object>> search(@RequestParam(defaultValue = "") String q,
			@RequestParam(defaultValue = "0") int from, @RequestParam(defaultValue = "10") int size)
			throws InterruptedException {
		long started = System.nanoTime();
		ResponseEntity<Map<String, Object>> trouble = trouble();
		if (trouble != null) {
			return trouble;
		}
		List<Map<String, Object>> hits = new ArrayList<>();
		List<Integer> matching = matching(q);
		matching.sort((a, b) -> Integer.compare(score(q, b), score(q, a)));
		for (int i = Math.max(0, from); i < Math.min(matching.size(), from + Math.max(0, size)); i++) {
			int document = matching.get(i);
			hits.add(Map.of("id", this.leaf.name() + "-" + document, "score", score(q, document)));
		}
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("shard", this.leaf.name());
		answer.put("total", matching.size());
		answer.put("hits", hits);
		answer.put("tookMillis", (System.nanoTime() - started) / 1_000_000);
		return ResponseEntity.ok(answer);
	}

	@GetMapping("/count")
	public ResponseEntity<Map<String, Object>> count(@RequestParam(defaultValue = "") String q)
			throws InterruptedException {
		ResponseEntity<Map<String, Object>> trouble = trouble();
		return (trouble != null) ? trouble : ResponseEntity.ok(Map.of("count", matching(q).size()));
	}

	/**
	 * Documents match when their score for the query is even (half of them, per query).
	 */
	private List<Integer> matching(String q) {
		List<Integer> matching = new ArrayList<>();
		for (int document = 0; document < this.leaf.documents(); document++) {
			if (q.isEmpty() || score(q, document) % 2 == 0) {
				matching.add(document);
			}
		}
		return matching;
	}

	private int score(String q, int document) {
		CRC32 crc = new CRC32();
		crc.update((this.leaf.name() + "/" + document + "/" + q).getBytes(StandardCharsets.UTF_8));
		return (int) (crc.getValue() % 1000);
	}

	/** The configured latency, a slow answer now and then, a failure now and then. */
	private ResponseEntity<Map<String, Object>> trouble() throws InterruptedException {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		boolean slow = random.nextDouble(100) < this.leaf.slowPercent();
		Thread.sleep(slow ? this.leaf.slowLatency() : this.leaf.latency());
		if (random.nextDouble(100) < this.leaf.failPercent()) {
			return ResponseEntity.status(503).body(Map.of("error", "failing on purpose", "shard", this.leaf.name()));
		}
		return null;
	}

}
