package dev.outrigger.scatter.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Routes from a YAML file: each prefix to its own merge; a body that must stay as the
 * leaves shaped it (a JSON array, a leaf's own answer) carries the report in headers.
 */
@SpringBootTest(classes = ScatterRootApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RoutesFileTests {

	private static final RecordingReceiver a = RecordingReceiver.start().respond(Reply.json("[1,2]"));

	private static final RecordingReceiver b = RecordingReceiver.start().respond(Reply.json("[3]"));

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void routes(DynamicPropertyRegistry registry) {
		registry.add("outrigger.scatter.config", RoutesFileTests::file);
	}

	private static String file() {
		try {
			Path file = Files.createTempFile("scatter-routes", ".yml");
			Files.writeString(file, """
					routes:
					  - prefix: /numbers
					    leaves: %s,%s
					    merge: concat
					    strip-prefix: true
					  - prefix: /numbers/any
					    leaves: %s|%s
					    merge: first
					    hedge-delay: off
					""".formatted(a.uri(""), b.uri(""), a.uri(""), b.uri("")));
			file.toFile().deleteOnExit();
			return file.toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@AfterAll
	static void stopLeaves() {
		a.close();
		b.close();
	}

	@Test
	void anArrayStaysAnArrayAndTheReportGoesInAHeader() throws Exception {
		HttpResponse<String> response = get("/numbers/odd");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(mapper.readTree(response.body())).isEqualTo(mapper.readTree("[1,2,3]"));
		JsonNode report = mapper.readTree(response.headers().firstValue("Outrigger-Scatter-Report").orElseThrow());
		assertThat(report.get("successful").asInt()).isEqualTo(2);
		assertThat(report.get("leaves").size()).isEqualTo(2);
		assertThat(a.requests().getLast().path()).isEqualTo("/odd");
	}

	@Test
	void theLongestPrefixWinsAndFirstPassesALeafsAnswerOnAsItCame() throws Exception {
		HttpResponse<String> response = get("/numbers/any");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isIn("[1,2]", "[3]");
		assertThat(response.headers().firstValue("Outrigger-Scatter-Total")).hasValue("1");
		assertThat(response.headers().firstValue("Outrigger-Scatter-Report")).isPresent();
	}

	@Test
	void aPathNoRouteTakesIsA404Problem() throws Exception {
		HttpResponse<String> response = get("/elsewhere");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
