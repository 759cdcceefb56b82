package dev.outrigger.work.autoconfigure;

import dev.outrigger.kit.config.SettingFailureAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad settings stop the container before it touches Kafka, with one line naming the variable.
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

	private void assertFailureNames(String variable, String... properties) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new SettingFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("a one-line analysis").isNotNull();
			assertThat(analysis.getDescription()).contains(variable);
		});
	}

}
