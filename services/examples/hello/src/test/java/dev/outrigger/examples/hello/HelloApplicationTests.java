package dev.outrigger.examples.hello;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.outrigger.testsupport.net.LoopbackHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(60)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "outrigger.hello.greeting=Ahoy", "outrigger.lifecycle.exit-zero-on-sigterm=false" })
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class HelloApplicationTests {

	@LocalServerPort
	private int port;

	private LoopbackHttp http;

	@Autowired
	private Greeter greeter;

	@BeforeEach
	void connect() {
		this.http = new LoopbackHttp(this.port);
	}

	@Test
	void greetsWithTheConfiguredGreeting() throws Exception {
		HttpResponse<String> hello = this.http.get("/hello?name=Ada");
		assertThat(hello.statusCode()).isEqualTo(200);
		assertThat(hello.body()).isEqualTo("{\"message\":\"Ahoy, Ada!\"}");
		assertThat(this.http.get("/actuator/info").body()).contains("\"state\":{").contains("\"served\":1");
	}

	@Test
	void aBadDelayIsA400ProblemNamingTheAllowedRange() throws Exception {
		HttpResponse<String> bad = this.http.get("/hello?delay=forever");
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(bad.body()).contains("from 0s to 30s");
		assertThat(this.http.get("/hello?delay=31s").statusCode()).isEqualTo(400);
	}

	@Test
	void aPausedContainerRefusesGreetingsWith503UntilResumed() throws Exception {
		this.http.post("/lifecycle/pause");
		HttpResponse<String> refused = this.http.get("/hello");
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.body()).contains("PAUSED");
		this.http.post("/lifecycle/resume");
		assertThat(this.http.get("/hello").statusCode()).isEqualTo(200);
	}

	@Test
	void drainWaitsForTheGreetingInFlight() throws Exception {
		CompletableFuture<HttpResponse<String>> slow = this.http.client()
			.sendAsync(HttpRequest.newBuilder(this.http.uri("/hello?name=slow&delay=1500ms")).build(),
					HttpResponse.BodyHandlers.ofString());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.greeter.inFlight() == 1);
		assertThat(this.http.post("/lifecycle/drain?deadline=10s").statusCode()).isEqualTo(202);
		assertThat(this.http.get("/lifecycle").body()).contains("DRAINING");
		assertThat(this.http.get("/hello").statusCode()).isEqualTo(503);
		HttpResponse<String> finished = slow.get();
		assertThat(finished.statusCode()).isEqualTo(200);
		assertThat(finished.body()).contains("Ahoy, slow!");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.http.get("/lifecycle").body()).contains("STOPPED"));
	}

}
