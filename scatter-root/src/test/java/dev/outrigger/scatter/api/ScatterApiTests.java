package dev.outrigger.scatter.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import dev.outrigger.scatter.ScatterRootApplication;
import dev.outrigger.testsupport.http.RecordingReceiver;
import dev.outrigger.testsupport.http.RecordingReceiver.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The root as a client sees it, over HTTP, with one route from the variables (topk over
 * two real leaves, on every path): the report in the body and in headers, problem+json
 * for what went wrong, and the root's own paths never shadowed by the route.
 */
@SpringBootTest(classes = ScatterRootApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScatterApiTests {

	private static final RecordingReceiver a = RecordingReceiver.start()
		.respond(Reply.json("{\"hits\":[{\"id\":\"a\",\"score\":2}],\"took\":1}"));

	private static final RecordingReceiver b = RecordingReceiver.start()
		.respond(Reply.json("{\"hits\":[{\"id\":\"b\",\"score\":3},{\"id\":\"b2\",\"score\":1}],\"took\":2}"));

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void route(DynamicPropertyRegistry registry) {
		registry.add("outrigger.scatter.leaves", () -> a.uri("") + "," + b.uri(""));
		registry.add("outrigger.scatter.merge", () -> "topk");
		registry.add("outrigger.scatter.merge-path", () -> "/hits");
		registry.add("outrigger.scatter.merge-field", () -> "/score");
	}

	@AfterAll
	static void stopLeaves() {
		a.close();
		b.close();
	}

	@Test
	void aMergedAnswerCarriesItsReportInTheBodyAndItsCountsInHeaders() throws Exception {
		HttpResponse<String> response = get("/search?q=x&size=2");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		JsonNode body = mapper.readTree(response.body());
		assertThat(body.get("hits").valueStream().map((hit) -> hit.get("id").stringValue())).containsExactly("b", "a");
		assertThat(body.get("took").asInt()).isEqualTo(1);
		assertThat(body.at("/_scatter/total").asInt()).isEqualTo(2);
		assertThat(body.at("/_scatter/successful").asInt()).isEqualTo(2);
		assertThat(body.at("/_scatter/leaves/0/result").stringValue()).isEqualTo("succeeded");
		assertThat(response.headers().firstValue("Outrigger-Scatter-Total")).hasValue("2");
		assertThat(response.headers().firstValue("Outrigger-Scatter-Failed")).hasValue("0");
		assertThat(a.requests().getLast().path()).isEqualTo("/search?q=x&from=0&size=2");
	}

	@Test
	void everyLeafFailingIsA502ProblemWithTheReport() throws Exception {
		// twice each: a 5xx gets its backup at once, to the same leaf (one replica a
		// shard)
		a.failFirst(2, 500);
		b.failFirst(2, 503);
		HttpResponse<String> response = get("/search");
		assertThat(response.statusCode()).isEqualTo(502);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = mapper.readTree(response.body());
		assertThat(problem.get("title").stringValue()).isEqualTo("Every leaf failed");
		assertThat(problem.at("/_scatter/failed").asInt()).isEqualTo(2);
		assertThat(problem.at("/_scatter/leaves/1/status").asInt()).isEqualTo(503);
		assertThat(problem.at("/_scatter/hedged").asInt()).isEqualTo(2);
	}

	@Test
	void aBadPageOrDeadlineIsA400ThatSaysWhatToSend() throws Exception {
		HttpResponse<String> page = get("/search?from=9999&size=10");
		assertThat(page.statusCode()).isEqualTo(400);
		assertThat(mapper.readTree(page.body()).get("detail").stringValue()).contains("at most 10000");
		HttpResponse<String> deadline = this.client.send(
				HttpRequest.newBuilder(uri("/search")).header("Outrigger-Deadline", "soon").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(deadline.statusCode()).isEqualTo(400);
		assertThat(mapper.readTree(deadline.body()).get("detail").stringValue())
			.contains("send milliseconds or a duration such as 250ms");
	}

	@Test
	void theRootsOwnPathsStayTheRootsUnderARouteOnEveryPath() throws Exception {
		assertThat(get("/livez").statusCode()).isEqualTo(200);
		assertThat(get("/readyz").statusCode()).isEqualTo(200);
		HttpResponse<String> routes = get("/routes");
		assertThat(routes.statusCode()).isEqualTo(200);
		JsonNode route = mapper.readTree(routes.body()).get(0);
		assertThat(route.get("prefix").stringValue()).isEqualTo("/");
		assertThat(route.get("merge").stringValue()).isEqualTo("topk");
		assertThat(route.get("hedgeDelay").stringValue()).isEqualTo("p95");
		assertThat(route.at("/shards/0/replicas/0/circuit").stringValue()).isEqualTo("CLOSED");
	}

	@Test
	void aPausedRootTurnsRequestsAwayWith503() throws Exception {
		assertThat(post("/lifecycle/pause").statusCode()).isLessThan(300);
		try {
			HttpResponse<String> response = get("/search");
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
		}
		finally {
			assertThat(post("/lifecycle/resume").statusCode()).isLessThan(300);
		}
		assertThat(get("/search").statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
