package dev.outrigger.work.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import dev.outrigger.kit.config.SettingFailureAnalyzer;
import dev.outrigger.work.coordinator.callback.CallbackDispatcher;
import dev.outrigger.work.coordinator.callback.CallbackSender;
import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.status.StatusView;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad settings stop the container before it touches Kafka, with one line naming the
 * variable.
 */
@Timeout(60)
class WorkSettingsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WorkAutoConfiguration.class));

	@Test
	void missingBootstrapServersNameTheVariable() {
		assertFailureNames("OUTRIGGER_WORK_KAFKA_BOOTSTRAP_SERVERS");
	}

	@Test
	void anAgentWithoutQueuesNamesTheVariable() {
		assertFailureNames("OUTRIGGER_WORK_QUEUES", "outrigger.work.mode=agent",
				"outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
	}

	@Test
	void aQueueNameThatCannotNameATopicNamesTheVariable() {
		assertFailureNames("OUTRIGGER_WORK_QUEUES", "outrigger.work.queues=ok,not ok",
				"outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
	}

	@Test
	void outOfRangeNumbersNameTheirVariables() {
		assertFailureNames("OUTRIGGER_WORK_CONCURRENCY", "outrigger.work.concurrency=0",
				"outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
		assertFailureNames("OUTRIGGER_WORK_MAX_ATTEMPTS", "outrigger.work.max-attempts=1000",
				"outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
		assertFailureNames("OUTRIGGER_WORK_BACKOFF_MULTIPLIER", "outrigger.work.backoff.multiplier=0.5",
				"outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
		assertFailureNames("OUTRIGGER_WORK_REPORT_RUNNING_AFTER", "outrigger.work.report-running-after=-1s",
				"outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
		assertFailureNames("OUTRIGGER_WORK_TOPICS_REPLICATION_FACTOR", "outrigger.work.topics.replication-factor=0",
				"outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
	}

	@Test
	void anUnknownEngineOrModeNamesTheVariable() {
		assertFailureNames("OUTRIGGER_WORK_ENGINE", "outrigger.work.engine=fast",
				"outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
		assertFailureNames("OUTRIGGER_WORK_MODE", "outrigger.work.mode=worker",
				"outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
	}

	@Test
	void aWorkerUrlThatIsNotHttpNamesTheVariable() {
		assertFailureNames("OUTRIGGER_WORK_WORKER_URL", "outrigger.work.worker-url=file:///tmp/x",
				"outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
	}

	@Test
	void zeroDurationsNameTheirVariablesWithTheKitsMessage() {
		assertFailureNames("OUTRIGGER_WORK_ITEM_TIMEOUT=\"0s\" is not allowed: expected a duration more than 0",
				"outrigger.work.item-timeout=0s", "outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
		assertFailureNames("OUTRIGGER_WORK_BACKOFF_MAX", "outrigger.work.backoff.max=0ms",
				"outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
		assertFailureNames("OUTRIGGER_WORK_IDEMPOTENCY_WINDOW", "outrigger.work.idempotency.window=0s",
				"outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
	}

	@Test
	void aStoreDirectoryThatCannotHoldTheStoreNamesTheVariable(@TempDir Path dir) throws IOException {
		Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
		assertFailureNames("OUTRIGGER_WORK_STORE_DIR", "outrigger.work.store.dir=" + file,
				"outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
	}

	@Test
	void aStoreDirectoryInUseNamesTheVariable(@TempDir Path dir) throws RocksDBException {
		try (Options options = new Options().setCreateIfMissing(true);
				RocksDB holder = RocksDB.open(options, dir.toString())) {
			assertFailureNames("OUTRIGGER_WORK_STORE_DIR", "outrigger.work.store.dir=" + dir,
					"outrigger.work.kafka.bootstrap-servers=127.0.0.1:9");
		}
	}

	/**
	 * The user's status view and callback dispatcher (never started, so nothing reaches
	 * Kafka) stand in for the auto-configured ones.
	 */
	@Test
	void theUsersBeansWin(@TempDir Path store) {
		ItemJson json = new ItemJson();
		StatusView view = new StatusView(() -> {
			throw new IllegalStateException("never started");
		}, null, "status", json, Clock.systemUTC(), (late) -> {
		}, false, store);
		CallbackSender sender = new CallbackSender(JsonMapper.builder().build(), 1, Duration.ofSeconds(1),
				new SimpleMeterRegistry());
		CallbackDispatcher dispatcher = new CallbackDispatcher(() -> {
			throw new IllegalStateException("never started");
		}, "status", json, view, sender);
		this.contextRunner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withBean(StatusView.class, () -> view)
			.withBean(CallbackDispatcher.class, () -> dispatcher)
			.withPropertyValues("outrigger.work.kafka.bootstrap-servers=127.0.0.1:9")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(StatusView.class)
					.hasSingleBean(CallbackDispatcher.class);
				assertThat(context.getBean(StatusView.class)).isSameAs(view);
				assertThat(context.getBean(CallbackDispatcher.class)).isSameAs(dispatcher);
			});
	}

	private void assertFailureNames(String variable, String... properties) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new SettingFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("a one-line analysis").isNotNull();
			assertThat(analysis.getDescription()).contains(variable);
		});
	}

}
