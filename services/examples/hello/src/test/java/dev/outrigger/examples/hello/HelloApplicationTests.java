package dev.outrigger.examples.hello;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "outrigger.hello.greeting=Ahoy", "outrigger.lifecycle.exit-zero-on-sigterm=false" })
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class HelloApplicationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private Greeter greeter;

	@Test
	void greetsWithTheConfiguredGreeting() throws Exception {
		HttpResponse<String> hello = get("/hello?name=Ada");
		assertThat(hello.statusCode()).isEqualTo(200);
		assertThat(hello.body()).isEqualTo("{\"message\":\"Ahoy, Ada!\"}");
		assertThat(get("/actuator/info").body()).contains("\"state\":{").contains("\"served\":1");
	}

	@Test
	void aBadDelayIsA400ProblemNamingTheAllowedRange() throws Exception {
		HttpResponse<String> bad = get("/hello?delay=forever");
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(bad.body()).contains("from 0s to 30s");
		assertThat(get("/hello?delay=31s").statusCode()).isEqualTo(400);
	}

	@Test
	void aPausedContainerRefusesGreetingsWith503UntilResumed() throws Exception {
		post("/lifecycle/pause");
		HttpResponse<String> refused = get("/hello");
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.body()).contains("PAUSED");
		post("/lifecycle/resume");
		assertThat(get("/hello").statusCode()).isEqualTo(200);
	}

	@Test
	void drainWaitsForTheGreetingInFlight() throws Exception {
		CompletableFuture<HttpResponse<String>> slow = this.http.sendAsync(
				HttpRequest.newBuilder(uri("/hello?name=slow&delay=1500ms")).build(),
				HttpResponse.BodyHandlers.ofString());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.greeter.inFlight() == 1);
		assertThat(post("/lifecycle/drain?deadline=10s").statusCode()).isEqualTo(202);
		assertThat(get("/lifecycle").body()).contains("DRAINING");
		assertThat(get("/hello").statusCode()).isEqualTo(503);
		HttpResponse<String> finished = slow.get();
		assertThat(finished.statusCode()).isEqualTo(200);
		assertThat(finished.body()).contains("Ahoy, slow!");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("/lifecycle").body()).contains("STOPPED"));
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
