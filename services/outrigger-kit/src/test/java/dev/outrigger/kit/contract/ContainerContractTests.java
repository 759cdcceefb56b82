package dev.outrigger.kit.contract;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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

/**
 * The contract over real HTTP on loopback, against a running application on the kit.
 */
@Timeout(60)
@SpringBootTest(classes = ContractTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "outrigger.pattern=contract-test", "outrigger.lifecycle.exit-zero-on-sigterm=false" })
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class ContainerContractTests {

	@LocalServerPort
	private int port;

	private LoopbackHttp http;

	@Autowired
	private ContractTestApplication.SwitchableParticipant participant;

	@BeforeEach
	void connect() {
		this.http = new LoopbackHttp(this.port);
	}

	@Test
	void livenessAndReadinessAreUpOnceRunning() throws Exception {
		assertThat(this.http.get("/livez").statusCode()).isEqualTo(200);
		assertThat(this.http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		HttpResponse<String> ready = this.http.get("/readyz");
		assertThat(ready.statusCode()).isEqualTo(200);
		assertThat(ready.body()).contains("\"state\":\"RUNNING\"").contains("\"switchable\"");
		assertThat(this.http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
	}

	@Test
	void readinessFollowsParticipants() throws Exception {
		this.participant.ready.set(false);
		HttpResponse<String> notReady = this.http.get("/readyz");
		assertThat(notReady.statusCode()).isEqualTo(503);
		assertThat(notReady.body()).contains("backend unreachable");
		assertThat(this.http.get("/livez").statusCode()).isEqualTo(200);
		this.participant.ready.set(true);
		assertThat(this.http.get("/readyz").statusCode()).isEqualTo(200);
	}

	@Test
	void lifecycleReportsStatePatternAndVersion() throws Exception {
		HttpResponse<String> lifecycle = this.http.get("/lifecycle");
		assertThat(lifecycle.statusCode()).isEqualTo(200);
		assertThat(lifecycle.body()).contains("\"state\":\"RUNNING\"")
			.contains("\"pattern\":\"contract-test\"")
			.contains("\"since\"")
			.contains("\"version\"");
	}

	@Test
	void pauseMakesTheContainerNotReadyAndResumeRestoresIt() throws Exception {
		HttpResponse<String> paused = this.http.post("/lifecycle/pause");
		assertThat(paused.statusCode()).isEqualTo(200);
		assertThat(paused.body()).contains("\"state\":\"PAUSED\"");
		assertThat(this.http.get("/readyz").statusCode()).isEqualTo(503);
		assertThat(this.http.get("/livez").statusCode()).isEqualTo(200);
		assertThat(this.http.post("/lifecycle/pause").statusCode()).isEqualTo(200);
		assertThat(this.http.post("/lifecycle/resume").body()).contains("\"state\":\"RUNNING\"");
		assertThat(this.http.get("/readyz").statusCode()).isEqualTo(200);
	}

	@Test
	void drainTurnsReadinessOffAndEndsStopped() throws Exception {
		HttpResponse<String> draining = this.http.post("/lifecycle/drain?deadline=5s");
		assertThat(draining.statusCode()).isEqualTo(202);
		assertThat(this.http.get("/readyz").statusCode()).isEqualTo(503);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.http.get("/lifecycle").body()).contains("\"state\":\"STOPPED\""));
		assertThat(this.http.get("/readyz").statusCode()).isEqualTo(503);
		assertThat(this.http.get("/livez").statusCode()).isEqualTo(200);
	}

	@Test
	void drainWithWaitAnswersOnceStopped() throws Exception {
		HttpResponse<String> stopped = this.http.post("/lifecycle/drain?deadline=5s&wait=true");
		assertThat(stopped.statusCode()).isEqualTo(200);
		assertThat(stopped.body()).contains("\"state\":\"STOPPED\"");
	}

	@Test
	void illegalTransitionsAnswer409ProblemJson() throws Exception {
		this.http.post("/lifecycle/drain?wait=true");
		HttpResponse<String> resume = this.http.post("/lifecycle/resume");
		assertThat(resume.statusCode()).isEqualTo(409);
		assertThat(resume.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(resume.body()).contains("\"state\":\"STOPPED\"")
			.contains("\"requested\":\"RUNNING\"")
			.contains("restart it to serve again");
		assertThat(this.http.post("/lifecycle/pause").statusCode()).isEqualTo(409);
	}

	@Test
	void aBadDeadlineAnswers400ProblemJsonAndChangesNothing() throws Exception {
		for (String deadline : new String[] { "soon", "-5s", "0s", "2h" }) {
			HttpResponse<String> bad = this.http.post("/lifecycle/drain?deadline=" + deadline);
			assertThat(bad.statusCode()).isEqualTo(400);
			assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(bad.body()).contains("deadline");
		}
		assertThat(this.http.get("/lifecycle").body()).contains("\"state\":\"RUNNING\"");
	}

	@Test
	void unknownPathsAndWrongMethodsAnswerProblemJson() throws Exception {
		HttpResponse<String> missing = this.http.get("/no/such/thing");
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(missing.body()).contains("No endpoint answers GET /no/such/thing");
		HttpResponse<String> wrongMethod = this.http
			.send(HttpRequest.newBuilder(this.http.uri("/lifecycle/pause")).GET());
		assertThat(wrongMethod.statusCode()).isEqualTo(405);
		assertThat(wrongMethod.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void prometheusServesTheLifecycleStateAsTextAndOpenMetrics() throws Exception {
		HttpResponse<String> text = this.http.get("/actuator/prometheus");
		assertThat(text.statusCode()).isEqualTo(200);
		assertThat(text.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
		assertThat(text.body()).contains("outrigger_lifecycle_state{pattern=\"contract-test\",state=\"RUNNING\"} 1.0")
			.contains("outrigger_lifecycle_state{pattern=\"contract-test\",state=\"PAUSED\"} 0.0");
		HttpResponse<String> openMetrics = this.http.send(HttpRequest.newBuilder(this.http.uri("/actuator/prometheus"))
			.header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8"));
		assertThat(openMetrics.headers().firstValue("Content-Type").orElseThrow())
			.startsWith("application/openmetrics-text");
		assertThat(openMetrics.body()).contains("outrigger_lifecycle_state{").endsWith("# EOF\n");
	}

	@Test
	void infoShowsPatternVersionLifecycleAndEffectiveConfig() throws Exception {
		HttpResponse<String> info = this.http.get("/actuator/info");
		assertThat(info.statusCode()).isEqualTo(200);
		assertThat(info.body()).contains("\"pattern\":\"contract-test\"")
			.contains("\"version\"")
			.contains("\"lifecycle\":{")
			.contains("\"config\":{\"outrigger\":{")
			.contains("\"drainTimeout\"");
	}

}
