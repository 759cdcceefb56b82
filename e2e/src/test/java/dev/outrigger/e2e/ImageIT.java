package dev.outrigger.e2e;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import com.github.dockerjava.api.DockerClient;
import dev.outrigger.testsupport.kafka.KraftBroker;
import dev.outrigger.testsupport.net.LoopbackPorts;
import dev.outrigger.testsupport.process.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every pattern image carries besides its code: an AOT cache its JVM really maps
 * (from the JVM's own log, not a timing), an SBOM, OCI labels, and settings that let a
 * sidecar start and serve under the 128 MiB limit operators give sidecars.
 */
@Timeout(900)
class ImageIT {

	private static final String AOT_LOG = "-Xlog:aot=info -Xlog:class+load=info";

	private static EmbeddedKafkaKraftBroker kafka;

	private static RedisServer redis;

	private final DockerClient docker = DockerClientFactory.instance().client();

	@BeforeAll
	static void startPeers() {
		kafka = KraftBroker.nodes(1).shareGroups().fastGroups().start();
		redis = RedisServer.start();
	}

	@AfterAll
	static void stopPeers() {
		kafka.destroy();
		redis.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "hello", "leader-elector", "ambassador-proxy", "work-coordinator", "scatter-root",
			"example-worker", "example-leaf" })
	void theJvmMapsTheImagesAotCacheAndLoadsMostClassesFromIt(String module) {
		String[] entrypoint = this.docker.inspectImageCmd(OutriggerContainer.image(module).asCanonicalNameString())
			.exec()
			.getConfig()
			.getEntrypoint();
		String mainClass = entrypoint[entrypoint.length - 1];
		try (OutriggerContainer container = configured(module).withEnv("JAVA_TOOL_OPTIONS", AOT_LOG)) {
			container.start();
			String log = container.getLogs();
			assertThat(log).contains("Opened AOT cache /app/aot/app.aot")
				.contains("[class,load] " + mainClass + " source: shared objects file");
			long loaded = log.lines().filter((line) -> line.contains("[class,load]")).count();
			long fromCache = log.lines()
				.filter((line) -> line.contains("[class,load]") && line.endsWith("source: shared objects file"))
				.count();
			// most, not all: a class first loaded after training (a code path the
			// training run
			// never took, e.g. the coordinator's trained without a broker) comes from its
			// jar
			assertThat(fromCache).as("classes from the cache, of %d loaded", loaded).isGreaterThan(loaded / 2);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "hello", "leader-elector", "ambassador-proxy", "work-coordinator", "scatter-root",
			"example-worker", "example-leaf" })
	void theImageCarriesItsSbomAndOciLabels(String module) {
		String image = OutriggerContainer.image(module).asCanonicalNameString();
		Map<String, String> labels = this.docker.inspectImageCmd(image).exec().getConfig().getLabels();
		assertThat(labels).containsEntry("org.opencontainers.image.title", module)
			.containsKey("org.opencontainers.image.version");
		assertThat(labels.get("org.opencontainers.image.revision")).matches("[0-9a-f]{40}");
		try (GenericContainer<?> cat = new GenericContainer<>(OutriggerContainer.image(module))
			.withCreateContainerCmdModifier((cmd) -> cmd.withEntrypoint("cat", "/app/sbom/application.cdx.json"))
			.withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
			cat.start();
			assertThat(cat.getLogs()).contains("\"bomFormat\" : \"CycloneDX\"")
				.contains("\"name\" : \"" + module + "\"")
				.contains("\"name\" : \"spring-boot\"");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "hello", "leader-elector", "ambassador-proxy" })
	void aSidecarStartsAndServesUnderA128MibLimit(String module) throws Exception {
		long limit = 128L << 20;
		try (OutriggerContainer sidecar = configured(module)
			.withCreateContainerCmdModifier((cmd) -> cmd.getHostConfig().withMemory(limit).withMemorySwap(limit))) {
			sidecar.start();
			for (int i = 0; i < 50; i++) {
				assertThat(sidecar.http().get("/readyz").statusCode()).isEqualTo(200);
			}
			assertThat(sidecar.http().get("/actuator/prometheus").statusCode()).isEqualTo(200);
			assertThat(this.docker.inspectContainerCmd(sidecar.getContainerId()).exec().getState().getOOMKilled())
				.isFalse();
		}
	}

	/** The module's container with what it needs to start here. */
	private OutriggerContainer configured(String module) {
		Consumer<OutriggerContainer> settings = switch (module) {
			case "leader-elector" -> (c) -> c.withEnv("OUTRIGGER_ELECTION_BACKEND", "standalone");
			case "ambassador-proxy" ->
				(c) -> c.withEnv("OUTRIGGER_AMBASSADOR_LISTEN", "127.0.0.1:" + LoopbackPorts.free())
					.withEnv("OUTRIGGER_AMBASSADOR_SHARDS", "127.0.0.1:" + redis.port() + ":1");
			case "work-coordinator" -> (c) -> c.withEnv("OUTRIGGER_WORK_MODE", "coordinator")
				.withEnv("OUTRIGGER_WORK_KAFKA_BOOTSTRAP_SERVERS", kafka.getBrokersAsString());
			case "scatter-root" ->
				(c) -> c.withEnv("OUTRIGGER_SCATTER_LEAVES", "http://127.0.0.1:" + LoopbackPorts.free());
			default -> (c) -> {
			};
		};
		OutriggerContainer container = new OutriggerContainer(module);
		settings.accept(container);
		return container;
	}

}
