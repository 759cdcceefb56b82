package dev.outrigger.election;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.outrigger.election.ElectionProperties.Backend;
import dev.outrigger.kit.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ElectionPropertiesTests {

	@Test
	void theDefaultsFollowClientGo() {
		ElectionProperties properties = properties(null, List.of("default"), 15_000, 10_000, 2_000);
		assertThat(properties.timings())
			.isEqualTo(new ElectionTimings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)));
	}

	@Test
	void theRenewDeadlineMustBeShorterThanTheLease() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> properties(null, List.of("default"), 10_000, 10_000, 2_000))
			.satisfies((ex) -> assertThat(ex.variable()).isEqualTo("OUTRIGGER_ELECTION_RENEW_DEADLINE"));
	}

	@Test
	void theRenewDeadlineMustExceedTwoRetries() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> properties(null, List.of("default"), 15_000, 4_000, 2_000))
			.withMessageContaining("2.2 × OUTRIGGER_ELECTION_RETRY_PERIOD");
	}

	@Test
	void aKubernetesLeaseOfFractionalSecondsIsRejectedNotTruncated() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> properties(Backend.KUBERNETES, List.of("default"), 1_500, 1_000, 200))
			.satisfies((ex) -> assertThat(ex.variable()).isEqualTo("OUTRIGGER_ELECTION_LEASE_DURATION"));
		assertThat(properties(Backend.JDBC, List.of("default"), 1_500, 1_000, 200)).isNotNull();
	}

	@Test
	void electionNamesMustBeUsableAsLeaseTopicAndRowNames() {
		for (List<String> bad : List.of(List.<String>of(), List.of("Upper"), List.of("has space"), List.of("-dash"),
				List.of("a", "a"))) {
			assertThatExceptionOfType(InvalidSettingException.class)
				.isThrownBy(() -> properties(null, bad, 15_000, 10_000, 2_000))
				.satisfies((ex) -> assertThat(ex.variable()).isEqualTo("OUTRIGGER_ELECTION_NAMES"));
		}
		assertThat(properties(null, List.of("jobs", "billing-2"), 15_000, 10_000, 2_000).names()).hasSize(2);
	}

	@Test
	void theBackendIsChosenFromWhatIsConfigured() {
		ElectionProperties none = properties(null, List.of("default"), 15_000, 10_000, 2_000);
		assertThat(BackendChoice.of(none, true)).isEqualTo(Backend.KUBERNETES);
		assertThat(BackendChoice.of(none, false)).isEqualTo(Backend.STANDALONE);
		ElectionProperties kafka = new ElectionProperties(null, List.of("default"), null, Duration.ofSeconds(15),
				Duration.ofSeconds(10), Duration.ofSeconds(2), null, false, null,
				new ElectionProperties.Kafka("localhost:9092", "p-", (short) 1, Map.of()),
				new ElectionProperties.Jdbc("jdbc:postgresql://db/x", null, null, "t"));
		assertThat(BackendChoice.of(kafka, false)).isEqualTo(Backend.KAFKA);
		ElectionProperties jdbc = new ElectionProperties(null, List.of("default"), null, Duration.ofSeconds(15),
				Duration.ofSeconds(10), Duration.ofSeconds(2), null, false, null,
				new ElectionProperties.Kafka(null, "p-", (short) 1, Map.of()),
				new ElectionProperties.Jdbc("jdbc:postgresql://db/x", null, null, "t"));
		assertThat(BackendChoice.of(jdbc, false)).isEqualTo(Backend.JDBC);
		ElectionProperties explicit = properties(Backend.STANDALONE, List.of("default"), 15_000, 10_000, 2_000);
		assertThat(BackendChoice.of(explicit, true)).isEqualTo(Backend.STANDALONE);
	}

	static ElectionProperties properties(Backend backend, List<String> names, long leaseMs, long renewMs,
			long retryMs) {
		return new ElectionProperties(backend, names, null, Duration.ofMillis(leaseMs), Duration.ofMillis(renewMs),
				Duration.ofMillis(retryMs), null, false, null,
				new ElectionProperties.Kafka(null, "p-", (short) 1, Map.of()),
				new ElectionProperties.Jdbc(null, null, null, "outrigger_election"));
	}

	@Test
	void secretsNeverShowInToString() {
		ElectionProperties.Kafka kafka = new ElectionProperties.Kafka("b:9092", "p-", (short) 1,
				Map.of("sasl.jaas.config", "PlainLoginModule required username=\"u\" password=\"hunter2\";"));
		ElectionProperties.Jdbc jdbc = new ElectionProperties.Jdbc("jdbc:postgresql://db/app", "app", "hunter2", "t");
		assertThat(kafka.toString()).contains("sasl.jaas.config").doesNotContain("hunter2");
		assertThat(jdbc.toString()).contains("password=******").doesNotContain("hunter2");
	}

}
