package dev.outrigger.e2e;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scatter-root image in front of three example-leaf containers, all on host
 * networking: a search merged over the three, then one leaf killed (SIGKILL) — the answer
 * is partial and says which shard is missing and why.
 */
@Timeout(600)
class ScatterRootContainerIT {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final DockerClient docker = DockerClientFactory.instance().client();

	@Test
	void aSearchOverThreeLeavesThenOneKilledGivesAPartialAnswerThatSaysSo() throws Exception {
		List<OutriggerContainer> leaves = new ArrayList<>();
		try {
			for (String name : List.of("a", "b", "c")) {
				OutriggerContainer leaf = new OutriggerContainer("example-leaf").withEnv("OUTRIGGER_LEAF_NAME", name);
				leaf.start();
				leaves.add(leaf);
			}
			String urls = String.join(",",
					leaves.stream().map((leaf) -> "http://127.0.0.1:" + leaf.httpPort()).toList());
			try (OutriggerContainer root = new OutriggerContainer("scatter-root")
				.withEnv("OUTRIGGER_SCATTER_LEAVES", urls)
				.withEnv("OUTRIGGER_SCATTER_PREFIX", "/search")
				.withEnv("OUTRIGGER_SCATTER_MERGE", "topk")
				.withEnv("OUTRIGGER_SCATTER_MERGE_PATH", "/hits")
				.withEnv("OUTRIGGER_SCATTER_MERGE_FIELD", "/score")) {
				root.start();
				await().atMost(Duration.ofSeconds(15)).until(() -> root.http().get("/readyz").statusCode() == 200);

				JsonNode whole = search(root);
				assertThat(whole.at("/_scatter/successful").asInt()).isEqualTo(3);
				assertThat(whole.get("hits")).hasSize(5);
				assertThat(whole.get("hits").valueStream().map((hit) -> hit.get("score").asInt()))
					.isSortedAccordingTo((x, y) -> Integer.compare(y, x));

				this.docker.killContainerCmd(leaves.get(1).getContainerId()).exec();
				JsonNode partial = search(root);
				assertThat(partial.at("/_scatter/total").asInt()).isEqualTo(3);
				assertThat(partial.at("/_scatter/successful").asInt()).isEqualTo(2);
				assertThat(partial.at("/_scatter/failed").asInt()).isEqualTo(1);
				JsonNode missing = partial.at("/_scatter/leaves/1");
				assertThat(missing.get("result").stringValue()).isEqualTo("failed");
				assertThat(missing.get("error").stringValue()).startsWith("connection refused or failed");
				assertThat(partial.get("hits").valueStream().map((hit) -> hit.get("id").stringValue()))
					.noneMatch((id) -> id.startsWith("b-"));
			}
		}
		finally {
			leaves.forEach(OutriggerContainer::stop);
		}
	}

	private static JsonNode search(OutriggerContainer root) throws Exception {
		HttpResponse<String> response = root.http().get("/search?q=boat&size=5");
		assertThat(response.statusCode()).isEqualTo(200);
		return mapper.readTree(response.body());
	}

}
