package dev.outrigger.election.api;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.outrigger.election.LeaderElectorApplication;
import dev.outrigger.testsupport.net.LoopbackHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP API over real HTTP, on the standalone backend (this replica always leads).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "outrigger.election.backend=standalone", "outrigger.election.names=default,jobs",
				"outrigger.election.id=replica-a", "outrigger.lifecycle.exit-zero-on-sigterm=false" })
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
@Timeout(120)
class LeaderApiTests {

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	private LoopbackHttp http;

	@BeforeEach
	void connect() {
		this.http = new LoopbackHttp(this.port);
	}

	@Test
	void theRootAnswersLikeTheOriginalLeaderElectorImage() throws Exception {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.http.get("/").body().equals("{\"name\":\"replica-a\"}"));
	}

	@Test
	void leaderReportsTheFullState() throws Exception {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.http.get("/leader").body().contains("\"isLeader\":true"));
		String body = this.http.get("/leader?election=jobs").body();
		assertThat(body).contains("\"election\":\"jobs\"")
			.contains("\"leader\":\"replica-a\"")
			.contains("\"self\":\"replica-a\"")
			.contains("\"fencingToken\":1")
			.contains("\"since\":")
			.contains("\"backend\":\"standalone\"");
		assertThat(this.http.get("/leader/am-i").statusCode()).isEqualTo(200);
	}

	@Test
	void aLongPollAnswersOnTheNextChange() throws Exception {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.http.get("/leader").body().contains("\"fencingToken\":1"));
		CompletableFuture<HttpResponse<String>> poll = this.http.client()
			.sendAsync(HttpRequest.newBuilder(this.http.uri("/leader?waitForChange=1&timeout=30s")).build(),
					HttpResponse.BodyHandlers.ofString());
		// held while nothing changes
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !poll.isDone());
		assertThat(this.http.post("/leader/resign").statusCode()).isEqualTo(202);
		assertThat(poll.get(30, TimeUnit.SECONDS).body()).doesNotContain("\"fencingToken\":1");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.http.get("/leader").body().contains("\"fencingToken\":2"));
	}

	@Test
	void aLongPollAnswersAtItsTimeout() throws Exception {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.http.get("/leader").body().contains("\"fencingToken\":1"));
		HttpResponse<String> poll = this.http.get("/leader?waitForChange=1&timeout=200ms");
		assertThat(poll.statusCode()).isEqualTo(200);
		assertThat(poll.body()).contains("\"fencingToken\":1");
	}

	@Test
	void eventsStreamTheCurrentStateThenEveryChange() throws Exception {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.http.get("/leader").body().contains("\"fencingToken\":1"));
		HttpResponse<InputStream> stream = this.http.client()
			.send(HttpRequest.newBuilder(this.http.uri("/leader/events")).build(),
					HttpResponse.BodyHandlers.ofInputStream());
		assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			List<String> events = new ArrayList<>();
			events.add(nextData(reader));
			this.http.post("/leader/resign");
			events.add(nextData(reader));
			events.add(nextData(reader));
			assertThat(events.get(0)).contains("\"fencingToken\":1").contains("\"isLeader\":true");
			assertThat(events.get(1)).contains("\"leader\":null").contains("\"isLeader\":false");
			assertThat(events.get(2)).contains("\"fencingToken\":2").contains("\"isLeader\":true");
		}
	}

	@Test
	void eventStreamsEndWithTheFinalStateWhenTheApplicationStops() throws Exception {
		// an application of its own, since this test stops it
		ConfigurableApplicationContext own = new SpringApplicationBuilder(LeaderElectorApplication.class)
			.properties("server.port=0", "outrigger.election.backend=standalone", "outrigger.election.id=replica-b",
					"outrigger.lifecycle.exit-zero-on-sigterm=false")
			.run();
		LoopbackHttp ownHttp = new LoopbackHttp(
				Integer.parseInt(own.getEnvironment().getProperty("local.server.port")));
		await().atMost(Duration.ofSeconds(10)).until(() -> ownHttp.get("/leader").body().contains("\"isLeader\":true"));
		HttpResponse<InputStream> stream = ownHttp.client()
			.send(HttpRequest.newBuilder(ownHttp.uri("/leader/events")).build(),
					HttpResponse.BodyHandlers.ofInputStream());
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			assertThat(nextData(reader)).contains("\"isLeader\":true");
			Thread closer = Thread.ofVirtual().start(own::close);
			assertThat(nextData(reader)).contains("\"isLeader\":false");
			assertThat(within(READ_TIMEOUT, () -> reader.lines().toList()))
				.noneMatch((rest) -> rest.startsWith("data:"));
			closer.join(Duration.ofSeconds(20));
			assertThat(closer.isAlive()).as("shutdown blocked by an open event stream").isFalse();
		}
	}

	@Test
	void amIAnswers503OnceTheReplicaNoLongerLeads() throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.http.get("/leader/am-i").statusCode() == 200);
		this.http.post("/lifecycle/drain?wait=true");
		HttpResponse<String> amI = this.http.get("/leader/am-i");
		assertThat(amI.statusCode()).isEqualTo(503);
		assertThat(amI.body()).contains("\"isLeader\":false");
	}

	@Test
	void unknownElectionsAndBadTimeoutsAreProblems() throws Exception {
		HttpResponse<String> unknown = this.http.get("/leader?election=nope");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(unknown.body()).contains("[default, jobs]").contains("OUTRIGGER_ELECTION_NAMES");
		HttpResponse<String> badTimeout = this.http.get("/leader?waitForChange=1&timeout=forever");
		assertThat(badTimeout.statusCode()).isEqualTo(400);
		assertThat(badTimeout.body()).contains("from 0s to 5m");
		assertThat(this.http.get("/leader?timeout=5s").statusCode()).isEqualTo(400);
	}

	@Test
	void metricsAndInfoShowTheElections() throws Exception {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.http.get("/leader").body().contains("\"isLeader\":true"));
		String metrics = this.http.get("/actuator/prometheus").body();
		assertThat(metrics)
			.contains("outrigger_election_is_leader{election=\"default\",pattern=\"leader-elector\"} 1.0")
			.contains("outrigger_election_fencing_token{election=\"jobs\",pattern=\"leader-elector\"} 1.0");
		assertThat(this.http.get("/actuator/info").body()).contains("\"backend\":\"standalone\"")
			.contains("\"jobs\":{");
	}

	private static String nextData(BufferedReader reader) throws Exception {
		return within(READ_TIMEOUT, () -> {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith("data:")) {
					return line.substring(5);
				}
			}
			throw new IllegalStateException("stream ended");
		});
	}

	/**
	 * Reads with a bound: the client's request timeout ends with the response headers,
	 * and an event stream's body never ends by itself. On a timeout the caller's
	 * try-with-resources closes the stream, which ends the read.
	 */
	private static <T> T within(Duration timeout, Callable<T> read) throws Exception {
		FutureTask<T> task = new FutureTask<>(read);
		Thread.ofVirtual().name("sse-read").start(task);
		try {
			return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			task.cancel(true);
			throw new AssertionError("Nothing read from the event stream within " + timeout, ex);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
	}

}
