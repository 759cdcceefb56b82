package dev.outrigger.examples.leaf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

	static final int QUERIES = 1024;

	private final LeafProperties leaf;

	private final Map<String, List<Hit>> rankings = new ConcurrentHashMap<>();

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
		List<Hit> ranked = ranked(q);
		int first = Math.min(ranked.size(), Math.max(0, from));
		List<Hit> page = ranked.subList(first, Math.min(ranked.size(), first + Math.max(0, size)));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("shard", this.leaf.name());
		answer.put("total", ranked.size());
		answer.put("hits", page);
		answer.put("tookMillis", (System.nanoTime() - started) / 1_000_000);
		return ResponseEntity.ok(answer);
	}

	@GetMapping("/count")
	public ResponseEntity<Map<String, Object>> count(@RequestParam(defaultValue = "") String q)
			throws InterruptedException {
		ResponseEntity<Map<String, Object>> trouble = trouble();
		return (trouble != null) ? trouble : ResponseEntity.ok(Map.of("count", ranked(q).size()));
	}

	/**
	 * The documents that match {@code q}, best first: those whose score for the query is
	 * even (half of them). Kept per query, for up to {@value #QUERIES} queries, so a
	 * repeated query costs no more than writing its answer: a fast leaf, as a benchmark
	 * of the root needs.
	 */
	private List<Hit> ranked(String q) {
		List<Hit> known = this.rankings.get(q);
		if (known != null) {
			return known;
		}
		List<Hit> ranked = new ArrayList<>();
		for (int document = 0; document < this.leaf.documents(); document++) {
			int score = score(q, document);
			if (q.isEmpty() || score % 2 == 0) {
				ranked.add(new Hit(this.leaf.name() + "-" + document, score));
			}
		}
		ranked.sort(Comparator.comparingInt(Hit::score).reversed());
		List<Hit> kept = List.copyOf(ranked);
		if (this.rankings.size() >= QUERIES) {
			this.rankings.clear();
		}
		this.rankings.put(q, kept);
		return kept;
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

	/**
	 * A document in an answer.
	 *
	 * @param id the leaf's name and the document's number
	 * @param score its score for the query
	 */
	public record Hit(String id, int score) {
	}

}
