package dev.outrigger.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import dev.outrigger.testsupport.kafka.KraftBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three leader-elector containers on the kafka backend, host networking, against a real
 * KRaft broker on loopback: they elect one leader; {@code docker kill} of the leader
 * hands over.
 */
@Timeout(600)
class LeaderElectorContainerIT {

	private static final Duration LEASE = Duration.ofSeconds(6);

	private static final Duration RETRY = Duration.ofMillis(1000);

	private static final Pattern LEADER = Pattern.compile("\"leader\":\"([^\"]+)\"");

	private static final Pattern TOKEN = Pattern.compile("\"fencingToken\":(\\d+)");

	private static EmbeddedKafkaKraftBroker kafka;

	private final DockerClient docker = DockerClientFactory.instance().client();

	@BeforeAll
	static void startKafka() {
		kafka = KraftBroker.nodes(1).fastGroups().start();
	}

	@AfterAll
	static void stopKafka() {
		kafka.destroy();
	}

	@Test
	void threeContainersElectOneLeaderAndAKilledLeaderIsReplaced() throws Exception {
		List<OutriggerContainer> candidates = new ArrayList<>();
		try {
			for (String id : List.of("candidate-1", "candidate-2", "candidate-3")) {
				OutriggerContainer container = new OutriggerContainer("leader-elector")
					.withEnv("OUTRIGGER_ELECTION_BACKEND", "kafka")
					.withEnv("OUTRIGGER_ELECTION_KAFKA_BOOTSTRAP_SERVERS", kafka.getBrokersAsString())
					.withEnv("OUTRIGGER_ELECTION_ID", id)
					.withEnv("OUTRIGGER_ELECTION_LEASE_DURATION", LEASE.toMillis() + "ms")
					.withEnv("OUTRIGGER_ELECTION_RENEW_DEADLINE", "4s")
					.withEnv("OUTRIGGER_ELECTION_RETRY_PERIOD", RETRY.toMillis() + "ms");
				candidates.add(container);
			}
			candidates.parallelStream().forEach(OutriggerContainer::start);

			OutriggerContainer leader = awaitOneLeader(candidates);
			String leaderId = leaderOf(leader.http().get("/leader").body());
			long token = tokenOf(leader.http().get("/leader").body());
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> candidates
					.forEach((c) -> assertThat(body(c)).contains("\"leader\":\"" + leaderId + "\"")));

			long killed = System.nanoTime();
			this.docker.killContainerCmd(leader.getContainerId()).exec();
			List<OutriggerContainer> survivors = candidates.stream().filter((c) -> c != leader).toList();
			OutriggerContainer next = awaitOneLeader(survivors);
			Duration failover = Duration.ofNanos(System.nanoTime() - killed);
			String nextBody = next.http().get("/leader").body();
			assertThat(leaderOf(nextBody)).isNotEqualTo(leaderId);
			assertThat(tokenOf(nextBody)).isGreaterThan(token);
			assertThat(failover).isLessThan(LEASE.plus(RETRY.multipliedBy(2)).plusSeconds(5));
			System.out.println("leader-elector e2e: crash failover " + failover.toMillis() + " ms");
		}
		finally {
			candidates.forEach(OutriggerContainer::stop);
		}
	}

	private static OutriggerContainer awaitOneLeader(List<OutriggerContainer> candidates) {
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> candidates.stream().filter((c) -> body(c).contains("\"isLeader\":true")).count() == 1);
		return candidates.stream().filter((c) -> body(c).contains("\"isLeader\":true")).findFirst().orElseThrow();
	}

	private static String body(OutriggerContainer container) {
		try {
			return container.http().get("/leader").body();
		}
		catch (Exception ex) {
			return "";
		}
	}

	private static String leaderOf(String body) {
		Matcher matcher = LEADER.matcher(body);
		assertThat(matcher.find()).as("a leader in %s", body).isTrue();
		return matcher.group(1);
	}

	private static long tokenOf(String body) {
		Matcher matcher = TOKEN.matcher(body);
		assertThat(matcher.find()).as("a token in %s", body).isTrue();
		return Long.parseLong(matcher.group(1));
	}

}
