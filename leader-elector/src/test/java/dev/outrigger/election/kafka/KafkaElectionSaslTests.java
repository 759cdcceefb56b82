package dev.outrigger.election.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.outrigger.election.Election;
import dev.outrigger.election.Elections;
import dev.outrigger.election.autoconfigure.ElectionAutoConfiguration;
import dev.outrigger.kit.lifecycle.Readiness;
import dev.outrigger.testsupport.kafka.SaslPlainBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leader-elector on a broker whose listener wants SASL/PLAIN, configured as an
 * operator would: through {@code OUTRIGGER_ELECTION_KAFKA_PROPERTIES_*} environment
 * variables. Timings: lease 3 s, renew deadline 2 s, retry period 500 ms.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KafkaElectionSaslTests {

	private static final Duration RETRY_PERIOD = Duration.ofMillis(500);

	private static SaslPlainBroker broker;

	private final ListAppender<ILoggingEvent> ours = new ListAppender<>();

	private final Logger outrigger = (Logger) LoggerFactory.getLogger("dev.outrigger");

	private final Logger candidacy = (Logger) LoggerFactory.getLogger(KafkaCandidacy.class);

	private Level candidacyLevel;

	@BeforeAll
	static void startBroker() {
		broker = SaslPlainBroker.start("elector", "elector-secret",
				Map.of("group.min.session.timeout.ms", "500", "group.initial.rebalance.delay.ms", "0"));
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@BeforeEach
	void captureLogs() {
		this.ours.start();
		this.outrigger.addAppender(this.ours);
		this.candidacyLevel = this.candidacy.getLevel();
		// the repeats of a failure go to debug: record them to see that retries happened
		this.candidacy.setLevel(Level.DEBUG);
	}

	@AfterEach
	void releaseLogs() {
		this.outrigger.detachAppender(this.ours);
		this.candidacy.setLevel(this.candidacyLevel);
	}

	@Test
	void rightCredentialsElectALeader() {
		runner("elector-secret").run((context) -> {
			Elections elections = context.getBean(Elections.class);
			assertThat(elections.backendName()).isEqualTo("kafka");
			elections.campaign();
			Election election = elections.find(null);
			await().atMost(Duration.ofSeconds(30)).until(() -> election.state().isLeader());
			assertThat(election.state().fencingToken()).isPositive();
			assertThat(elections.readiness().ready()).isTrue();
		});
	}

	@Test
	void wrongCredentialsLeaveTheElectorNotReadyWithTheCauseLoggedOnce() {
		long started = System.nanoTime();
		runner("wrong").run((context) -> {
			Elections elections = context.getBean(Elections.class);
			assertThat(elections.backendName()).isEqualTo("kafka");
			elections.campaign();
			Readiness readiness = await().atMost(Duration.ofSeconds(10))
				.until(elections::readiness, (r) -> r.detail().contains("Authentication failed"));
			assertThat(readiness.ready()).isFalse();
			assertThat(readiness.detail()).contains("SaslAuthenticationException");
			// two more tries failed the same way, and only went to debug
			await().atMost(RETRY_PERIOD.multipliedBy(3).plusSeconds(10))
				.until(() -> events(Level.DEBUG, "(again)") >= 2);
			assertThat(warnings()).hasSize(1);
			assertThat(warnings().getFirst().getFormattedMessage()).contains("Authentication failed");
			assertThat(elections.readiness().ready()).isFalse();
			System.out.println("Readiness with wrong credentials: " + readiness.detail());
			System.out.println("The one line logged: " + warnings().getFirst().getFormattedMessage());
		});
		// closing did not wait for anything that cannot answer
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
	}

	private ApplicationContextRunner runner(String password) {
		Map<String, Object> environment = new HashMap<>();
		environment.put("OUTRIGGER_ELECTION_NAMES", "sasl");
		environment.put("OUTRIGGER_ELECTION_ID", "a");
		environment.put("OUTRIGGER_ELECTION_LEASE_DURATION", "3s");
		environment.put("OUTRIGGER_ELECTION_RENEW_DEADLINE", "2s");
		environment.put("OUTRIGGER_ELECTION_RETRY_PERIOD", RETRY_PERIOD.toMillis() + "ms");
		environment.put("OUTRIGGER_ELECTION_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
		environment.put("OUTRIGGER_ELECTION_KAFKA_TOPIC_PREFIX", "sasl-" + System.nanoTime() + "-");
		SaslPlainBroker.clientProperties("elector", password)
			.forEach((key, value) -> environment
				.put("OUTRIGGER_ELECTION_KAFKA_PROPERTIES_" + key.replace('.', '_').toUpperCase(Locale.ROOT), value));
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ElectionAutoConfiguration.class))
			.withInitializer(
					(context) -> context.getEnvironment()
						.getPropertySources()
						.addFirst(new SystemEnvironmentPropertySource(
								"operator-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								environment)));
	}

	private List<ILoggingEvent> warnings() {
		return logged().stream().filter((e) -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
	}

	private long events(Level level, String containing) {
		return logged().stream()
			.filter((e) -> e.getLevel() == level && e.getFormattedMessage().contains(containing))
			.count();
	}

	private List<ILoggingEvent> logged() {
		// the appender adds under its own lock
		synchronized (this.ours) {
			return List.copyOf(this.ours.list);
		}
	}

}
