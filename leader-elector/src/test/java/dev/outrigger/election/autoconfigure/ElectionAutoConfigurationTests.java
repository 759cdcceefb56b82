package dev.outrigger.election.autoconfigure;

import dev.outrigger.election.ElectionBackend;
import dev.outrigger.election.Elections;
import dev.outrigger.election.jdbc.JdbcElectionBackend;
import dev.outrigger.election.kafka.KafkaElectionBackend;
import dev.outrigger.election.kubernetes.LeaseElectionBackend;
import dev.outrigger.election.standalone.StandaloneBackend;
import dev.outrigger.kit.InstanceId;
import dev.outrigger.kit.config.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class ElectionAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ElectionAutoConfiguration.class))
		.withPropertyValues("outrigger.election.id=me");

	@Test
	void withNothingConfiguredTheStandaloneBackendRuns() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ElectionBackend.class);
			assertThat(context.getBean(ElectionBackend.class)).isInstanceOf(StandaloneBackend.class);
			assertThat(context.getBean(Elections.class).names()).containsExactly("default");
		});
	}

	@Test
	void bootstrapServersSelectTheKafkaBackend() {
		this.contextRunner.withPropertyValues("outrigger.election.kafka.bootstrap-servers=127.0.0.1:9")
			.run((context) -> assertThat(context.getBean(ElectionBackend.class))
				.isInstanceOf(KafkaElectionBackend.class));
	}

	@Test
	void aJdbcUrlSelectsTheJdbcBackend() {
		this.contextRunner.withPropertyValues("outrigger.election.jdbc.url=jdbc:postgresql://127.0.0.1:9/x")
			.run((context) -> assertThat(context.getBean(ElectionBackend.class))
				.isInstanceOf(JdbcElectionBackend.class));
	}

	@Test
	void theKubernetesBackendRunsWhenAsked() {
		this.contextRunner
			.withPropertyValues("outrigger.election.backend=kubernetes", "outrigger.election.namespace=apps")
			.withSystemProperties("kubernetes.master=http://127.0.0.1:9", "kubernetes.auth.tryKubeConfig=false")
			.run((context) -> assertThat(context.getBean(ElectionBackend.class))
				.isInstanceOf(LeaseElectionBackend.class));
	}

	@Test
	void anExplicitBackendWinsOverWhatIsConfigured() {
		this.contextRunner
			.withPropertyValues("outrigger.election.backend=standalone",
					"outrigger.election.kafka.bootstrap-servers=127.0.0.1:9")
			.run((context) -> assertThat(context.getBean(ElectionBackend.class)).isInstanceOf(StandaloneBackend.class));
	}

	@Test
	void theKafkaBackendWithoutBootstrapServersFailsNamingTheVariable() {
		this.contextRunner.withPropertyValues("outrigger.election.backend=kafka")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageContaining("OUTRIGGER_ELECTION_KAFKA_BOOTSTRAP_SERVERS"));
	}

	@Test
	void aBadJdbcUrlFailsNamingTheVariable() {
		this.contextRunner
			.withPropertyValues("outrigger.election.backend=jdbc", "outrigger.election.jdbc.url=postgres://x")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("OUTRIGGER_ELECTION_JDBC_URL"));
	}

	@Test
	void theUsersBackendWins() {
		StandaloneBackend own = new StandaloneBackend();
		this.contextRunner.withPropertyValues("outrigger.election.kafka.bootstrap-servers=127.0.0.1:9")
			.withBean("ownBackend", ElectionBackend.class, () -> own)
			.run((context) -> {
				assertThat(context).hasSingleBean(ElectionBackend.class).doesNotHaveBean("kafkaElectionBackend");
				assertThat(context.getBean(ElectionBackend.class)).isSameAs(own);
			});
	}

	@Test
	void withoutAnIdTheInstanceIdBeanNamesTheCandidate() {
		this.contextRunner.withPropertyValues("outrigger.election.id=")
			.withBean(InstanceId.class, () -> new InstanceId("replica-7"))
			.run((context) -> assertThat(context.getBean(Elections.class).self()).isEqualTo("replica-7"));
		this.contextRunner.withPropertyValues("outrigger.election.id=")
			.run((context) -> assertThat(context.getBean(Elections.class).self()).isNotBlank().isNotEqualTo("me"));
	}

	@Test
	void badTimingsFailNamingTheVariable() {
		this.contextRunner
			.withPropertyValues("outrigger.election.lease-duration=5s", "outrigger.election.renew-deadline=6s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("OUTRIGGER_ELECTION_RENEW_DEADLINE"));
	}

	@Test
	void aRetryPeriodOfZeroFailsWithTheKitsMessage() {
		this.contextRunner.withPropertyValues("outrigger.election.retry-period=0s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("OUTRIGGER_ELECTION_RETRY_PERIOD=\"0s\" is not allowed: expected a duration more than 0, "
						+ "such as 5s"));
	}

}
