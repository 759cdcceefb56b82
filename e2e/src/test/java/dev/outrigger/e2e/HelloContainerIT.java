package dev.outrigger.e2e;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import dev.outrigger.testsupport.net.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.ToStringConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hello image in a real Docker engine proves the container contract end to end.
 */
@Timeout(600)
class HelloContainerIT {

	private static final Duration GRACE_PERIOD = Duration.ofSeconds(30);

	private final DockerClient docker = DockerClientFactory.instance().client();

	@Test
	void startsAndIsReadyWithin15Seconds() throws Exception {
		try (OutriggerContainer hello = new OutriggerContainer("hello")) {
			long started = System.nanoTime();
			hello.start();
			await().atMost(Duration.ofSeconds(15).minusNanos(System.nanoTime() - started))
				.pollInterval(Duration.ofMillis(100))
				.ignoreExceptions()
				.until(() -> hello.http().get("/readyz").statusCode() == 200);
			assertThat(hello.http().get("/hello?name=e2e").body()).isEqualTo("{\"message\":\"Hello, e2e!\"}");
			assertThat(hello.http().get("/livez").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void runsAsNonRootWithTheJvmAsPid1() throws Exception {
		try (OutriggerContainer hello = new OutriggerContainer("hello")) {
			hello.start();
			assertThat(hello.execInContainer("id", "-u").getStdout().strip()).isEqualTo("65532");
			assertThat(hello.execInContainer("cat", "/proc/1/comm").getStdout().strip()).isEqualTo("java");
		}
	}

	@Test
	void drainTurnsReadinessTo503() throws Exception {
		try (OutriggerContainer hello = new OutriggerContainer("hello")) {
			hello.start();
			await().atMost(Duration.ofSeconds(15)).until(() -> hello.http().get("/readyz").statusCode() == 200);
			assertThat(hello.http().post("/lifecycle/drain?deadline=5s").statusCode()).isEqualTo(202);
			assertThat(hello.http().get("/readyz").statusCode()).isEqualTo(503);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(
						() -> assertThat(hello.http().get("/lifecycle").body()).contains("\"state\":\"STOPPED\""));
			assertThat(hello.http().get("/readyz").statusCode()).isEqualTo(503);
			assertThat(hello.http().get("/livez").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void sigtermDrainsFinishesWorkInFlightAndExitsZeroWithinTheGracePeriod() throws Exception {
		try (OutriggerContainer hello = new OutriggerContainer("hello")) {
			hello.start();
			await().atMost(Duration.ofSeconds(15)).until(() -> hello.http().get("/readyz").statusCode() == 200);
			CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient()
				.sendAsync(HttpRequest.newBuilder(hello.http().uri("/hello?name=late&delay=2s")).build(),
						HttpResponse.BodyHandlers.ofString());
			await().atMost(Duration.ofSeconds(5))
				.until(() -> hello.http().get("/actuator/info").body().contains("\"inFlight\":1"));

			long stopping = System.nanoTime();
			this.docker.stopContainerCmd(hello.getContainerId()).withTimeout((int) GRACE_PERIOD.toSeconds()).exec();
			Duration took = Duration.ofNanos(System.nanoTime() - stopping);

			Long exitCode = this.docker.inspectContainerCmd(hello.getContainerId()).exec().getState().getExitCodeLong();
			assertThat(exitCode).isZero();
			assertThat(took).isLessThan(GRACE_PERIOD);
			assertThat(inFlight.get(5, TimeUnit.SECONDS).body()).isEqualTo("{\"message\":\"Hello, late!\"}");
			String logs = hello.getLogs();
			assertThat(logs).contains("Received SIGTERM")
				.contains("Lifecycle RUNNING -> DRAINING")
				.contains("Draining greeter: waiting for 1 greeting(s) in flight")
				.contains("Lifecycle DRAINING -> STOPPED");
		}
	}

	@Test
	void aBadEnvironmentValueExitsNonZeroWithOneLineNamingIt() throws Exception {
		CreateContainerResponse created = this.docker
			.createContainerCmd(OutriggerContainer.image("hello").asCanonicalNameString())
			.withEnv("OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT=banana", "OUTRIGGER_HTTP_PORT=" + LoopbackPorts.free())
			.withHostConfig(HostConfig.newHostConfig().withNetworkMode("host"))
			.exec();
		try {
			this.docker.startContainerCmd(created.getId()).exec();
			Integer exitCode = this.docker.waitContainerCmd(created.getId())
				.start()
				.awaitStatusCode(60, TimeUnit.SECONDS);
			assertThat(exitCode).isNotZero();
			List<String> lines = logsOf(created.getId()).lines().toList();
			assertThat(lines).filteredOn((line) -> line.contains("OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT"))
				.singleElement()
				.asString()
				.startsWith(
						"outrigger: failed to start: Invalid configuration: OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT=\"banana\"")
				.contains("expected a duration");
			assertThat(lines).noneMatch((line) -> line.startsWith("\tat "));
		}
		finally {
			this.docker.removeContainerCmd(created.getId()).withForce(true).exec();
		}
	}

	private String logsOf(String containerId) throws InterruptedException {
		ToStringConsumer text = new ToStringConsumer();
		var callback = new ResultCallback.Adapter<Frame>() {
			@Override
			public void onNext(Frame frame) {
				text.accept(new OutputFrame(OutputFrame.OutputType.STDOUT, frame.getPayload()));
			}
		};
		this.docker.logContainerCmd(containerId)
			.withStdOut(true)
			.withStdErr(true)
			.exec(callback)
			.awaitCompletion(30, TimeUnit.SECONDS);
		return text.toUtf8String();
	}

}
