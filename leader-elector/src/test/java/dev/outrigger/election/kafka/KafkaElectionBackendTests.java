package dev.outrigger.election.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.outrigger.election.ElectionObserver;
import dev.outrigger.election.ElectionTimings;
import dev.outrigger.election.LeaderObservation;
import dev.outrigger.testsupport.kafka.KraftBroker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka backend against a real embedded KRaft broker on loopback, with short timings:
 * lease 3 s, renew deadline 2 s, retry period 500 ms.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KafkaElectionBackendTests {

	private static final ElectionTimings TIMINGS = new ElectionTimings(Duration.ofSeconds(3), Duration.ofSeconds(2),
			Duration.ofMillis(500));

	/**
	 * The first election on a fresh broker also creates the transaction and offsets
	 * topics.
	 */
	private static final Duration FIRST_LEADER = Duration.ofSeconds(20);

	private static final AtomicInteger elections = new AtomicInteger();

	private static final Map<String, Level> quieted = Map.of("org.apache.kafka", Level.WARN, "kafka", Level.WARN,
			"state.change.logger", Level.WARN, "org.springframework.kafka", Level.WARN,
			// every client warns on each reconnect while the broker is down on purpose
			"org.apache.kafka.clients.NetworkClient", Level.ERROR, "dev.outrigger.election.kafka", Level.DEBUG);

	private static final Map<String, @Nullable Level> levelsBefore = new HashMap<>();

	private static EmbeddedKafkaKraftBroker broker;

	private final Ledger ledger = new Ledger();

	private final List<KafkaElectionBackend> backends = new CopyOnWriteArrayList<>();

	private final List<Candidate> candidates = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void startBroker() {
		quieted.forEach((name, level) -> {
			Logger logger = (Logger) LoggerFactory.getLogger(name);
			levelsBefore.put(name, logger.getLevel());
			logger.setLevel(level);
		});
		broker = newBroker();
	}

	@AfterAll
	static void stopBroker() {
		broker.destroy();
		levelsBefore.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
	}

	@AfterEach
	void stopCandidates() {
		List<Thread> stopping = this.candidates.stream()
			.map((c) -> Thread.ofVirtual().start(c.candidacy()::stop))
			.toList();
		for (Thread thread : stopping) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.backends.forEach(KafkaElectionBackend::close);
		assertThat(this.ledger.violations()).isEmpty();
	}

	@Test
	void threeCandidatesAgreeOnOneLeaderAndItsToken() {
		String election = newElection();
		List<Candidate> three = List.of(campaign(election, "a"), campaign(election, "b"), campaign(election, "c"));
		Candidate leader = awaitAgreedLeader(three, FIRST_LEADER);
		assertThat(three.stream().filter(Candidate::leads)).containsExactly(leader);
		assertThat(leader.observed().fencingToken()).isPositive();
		assertThat(this.ledger.claims()).hasSize(1);
	}

	@Test
	void crashedLeaderIsReplacedWithinTheLeasePlusTwoRetryPeriods() {
		String election = newElection();
		List<Candidate> three = List.of(campaign(election, "a"), campaign(election, "b"), campaign(election, "c"));
		Candidate crashed = awaitAgreedLeader(three, FIRST_LEADER);
		long token = crashed.observed().fencingToken();
		List<Candidate> survivors = three.stream().filter((c) -> c != crashed).toList();

		long crashedAt = System.nanoTime();
		crashed.candidacy().abandon();
		Candidate next = awaitAgreedLeader(survivors,
				TIMINGS.leaseDuration().plus(TIMINGS.retryPeriod().multipliedBy(2)));
		long failover = millisSince(crashedAt);

		assertThat(next.observed().fencingToken()).isGreaterThan(token);
		// the coordinator kept the crashed member until its session (the lease) timed out
		assertThat(failover).isGreaterThanOrEqualTo(TIMINGS.leaseDuration().toMillis() - 500);
		System.out.println("Failover after a crash: " + failover + " ms");
	}

	@Test
	void stoppedLeaderHandsOverWithinTwoSeconds() {
		String election = newElection();
		List<Candidate> three = List.of(campaign(election, "a"), campaign(election, "b"), campaign(election, "c"));
		Candidate stopped = awaitAgreedLeader(three, FIRST_LEADER);
		long token = stopped.observed().fencingToken();
		List<Candidate> others = three.stream().filter((c) -> c != stopped).toList();

		long stoppedAt = System.nanoTime();
		stopped.candidacy().stop();
		long stopTook = millisSince(stoppedAt);
		assertThat(stopped.observed()).isEqualTo(LeaderObservation.nobody());
		Candidate next = awaitAgreedLeader(others, Duration.ofSeconds(2));
		long handover = millisSince(stoppedAt);

		assertThat(stopTook).isLessThan(TIMINGS.renewDeadline().toMillis());
		assertThat(next.observed().fencingToken()).isGreaterThan(token);
		stopped.candidacy().stop();
		System.out.println("Handover after stop(): " + handover + " ms (stop() returned after " + stopTook + " ms)");
	}

	@Test
	void resignedLeaderHandsOverAndFollows() {
		String election = newElection();
		List<Candidate> two = List.of(campaign(election, "a"), campaign(election, "b"));
		Candidate resigned = awaitAgreedLeader(two, FIRST_LEADER);
		long token = resigned.observed().fencingToken();
		Candidate other = two.stream().filter((c) -> c != resigned).findFirst().orElseThrow();

		long resignedAt = System.nanoTime();
		resigned.candidacy().resign();
		assertThat(resigned.leads()).isFalse();
		Candidate next = awaitAgreedLeader(two, Duration.ofSeconds(3));
		long handover = millisSince(resignedAt);

		assertThat(next).isSameAs(other);
		assertThat(next.observed().fencingToken()).isGreaterThan(token);
		System.out.println("Handover after resign(): " + handover + " ms");
	}

	@Test
	void electionsAreIndependent() {
		String x = newElection();
		String y = newElection();
		List<Candidate> inX = List.of(campaign(x, "a"), campaign(x, "b"));
		List<Candidate> inY = List.of(campaign(y, "a"), campaign(y, "b"));
		Candidate leaderOfX = awaitAgreedLeader(inX, FIRST_LEADER);
		Candidate leaderOfY = awaitAgreedLeader(inY, FIRST_LEADER);
		// each election counts its own terms
		assertThat(leaderOfX.observed().fencingToken()).isEqualTo(1);
		assertThat(leaderOfY.observed().fencingToken()).isEqualTo(1);
		LeaderObservation ofY = leaderOfY.observed();
		int reportsOfY = leaderOfY.seen().size();

		leaderOfX.candidacy().stop();
		Candidate nextOfX = awaitAgreedLeader(inX.stream().filter((c) -> c != leaderOfX).toList(),
				Duration.ofSeconds(2));
		assertThat(nextOfX.observed().fencingToken()).isEqualTo(2);
		assertThat(inY).allSatisfy((c) -> assertThat(c.observed()).isEqualTo(ofY));
		assertThat(leaderOfY.seen()).hasSize(reportsOfY);
	}

	@Test
	void tokensRiseOverHandoversAndSurviveARestartOfEveryCandidate() {
		String election = newElection();
		List<Candidate> running = new ArrayList<>(
				List.of(campaign(election, "a"), campaign(election, "b"), campaign(election, "c")));
		List<Long> tokens = new ArrayList<>();
		Candidate leader = awaitAgreedLeader(running, FIRST_LEADER);
		tokens.add(leader.observed().fencingToken());
		for (int handover = 0; handover < 3; handover++) {
			// the leader stops and comes back as a new candidacy: always three
			// campaigning
			leader.candidacy().stop();
			running.remove(leader);
			running.add(campaign(election, leader.name()));
			leader = awaitAgreedLeader(running, Duration.ofSeconds(3));
			tokens.add(leader.observed().fencingToken());
		}
		assertThat(tokens).isSorted().doesNotHaveDuplicates();

		// every candidate stops and every backend closes, then all start again
		running.forEach((c) -> c.candidacy().stop());
		this.backends.forEach(KafkaElectionBackend::close);
		List<Candidate> restarted = List.of(campaign(election, "a"), campaign(election, "b"), campaign(election, "c"));
		Candidate afterRestart = awaitAgreedLeader(restarted, Duration.ofSeconds(5));
		assertThat(afterRestart.observed().fencingToken()).isGreaterThan(tokens.getLast());
	}

	@Test
	void leaderThatLosesTheBrokerStepsDownWithinTheRenewDeadline() {
		EmbeddedKafkaKraftBroker lost = newBroker();
		try {
			String election = newElection();
			List<Candidate> two = List.of(campaign(lost, election, "a"), campaign(lost, election, "b"));
			Candidate leader = awaitAgreedLeader(two, FIRST_LEADER);

			long stopping = System.nanoTime();
			lost.destroy();
			long gone = System.nanoTime();
			await().atMost(TIMINGS.renewDeadline()).pollInterval(Duration.ofMillis(20)).until(() -> !leader.leads());
			long stepDown = millisSince(gone);

			assertThat(leader.observed()).isEqualTo(LeaderObservation.nobody());
			// the follower cannot tell any more either
			await().atMost(TIMINGS.renewDeadline())
				.untilAsserted(() -> assertThat(two)
					.allSatisfy((c) -> assertThat(c.observed()).isEqualTo(LeaderObservation.nobody())));
			assertThat(this.ledger.claims()).hasSize(1);
			System.out
				.println("Leader stepped down " + stepDown + " ms after the broker was gone (broker shutdown took "
						+ TimeUnit.NANOSECONDS.toMillis(gone - stopping) + " ms)");
		}
		finally {
			this.candidates.forEach((c) -> c.candidacy().abandon());
			lost.destroy();
		}
	}

	private Candidate campaign(String election, String name) {
		return campaign(broker, election, name);
	}

	private Candidate campaign(EmbeddedKafkaKraftBroker on, String election, String name) {
		// one backend per candidate, as each sidecar has its own
		KafkaElectionBackend backend = new KafkaElectionBackend(on.getBrokersAsString(), "outrigger-election-",
				(short) 1, TIMINGS);
		this.backends.add(backend);
		Recorder recorder = new Recorder(election, name, this.ledger);
		KafkaCandidacy candidacy = (KafkaCandidacy) backend.campaign(election, name, recorder);
		Candidate candidate = new Candidate(name, candidacy, recorder);
		this.candidates.add(candidate);
		return candidate;
	}

	/**
	 * Waits until exactly one candidate leads and every other one names it with its
	 * token.
	 */
	private Candidate awaitAgreedLeader(List<Candidate> candidates, Duration atMost) {
		return await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> {
			List<Candidate> leaders = candidates.stream().filter(Candidate::leads).toList();
			if (leaders.size() != 1) {
				return null;
			}
			LeaderObservation agreed = leaders.getFirst().observed();
			return candidates.stream().allMatch((c) -> c.observed().equals(agreed)) ? leaders.getFirst() : null;
		}, (leader) -> leader != null);
	}

	private static String newElection() {
		return "test-" + elections.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
	}

	private static long millisSince(long start) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

	private static EmbeddedKafkaKraftBroker newBroker() {
		// the election's transactions start faster with a small transaction log
		return KraftBroker.nodes(1).fastGroups().property("transaction.state.log.num.partitions", 3).start();
	}

	private record Candidate(String name, KafkaCandidacy candidacy, Recorder recorder) {

		boolean leads() {
			return this.name.equals(observed().leader());
		}

		LeaderObservation observed() {
			return this.recorder.current();
		}

		List<LeaderObservation> seen() {
			return this.recorder.seen();
		}

	}

	/** What one candidate's backend reported, in order. */
	private static final class Recorder implements ElectionObserver {

		private final String election;

		private final String self;

		private final Ledger ledger;

		private final List<LeaderObservation> seen = new CopyOnWriteArrayList<>();

		private volatile LeaderObservation current = LeaderObservation.nobody();

		Recorder(String election, String self, Ledger ledger) {
			this.election = election;
			this.self = self;
			this.ledger = ledger;
		}

		@Override
		public void observe(LeaderObservation observation) {
			this.seen.add(observation);
			this.current = observation;
			if (this.self.equals(observation.leader())) {
				this.ledger.claimed(this.election, this.self, observation.fencingToken());
			}
		}

		LeaderObservation current() {
			return this.current;
		}

		List<LeaderObservation> seen() {
			return List.copyOf(this.seen);
		}

	}

	/**
	 * Every leadership claim of a test, across candidates: each election's tokens must
	 * rise strictly.
	 */
	private static final class Ledger {

		private final List<String> claims = new ArrayList<>();

		private final List<String> violations = new ArrayList<>();

		private final Map<String, Long> highest = new HashMap<>();

		synchronized void claimed(String election, String candidate, long token) {
			long highest = this.highest.getOrDefault(election, 0L);
			if (token <= highest) {
				this.violations.add(candidate + " claimed token " + token + " of " + election + " after token "
						+ highest + " had been claimed (" + this.claims + ")");
			}
			this.highest.put(election, Math.max(highest, token));
			this.claims.add(candidate + "@" + election + ":" + token);
		}

		synchronized List<String> claims() {
			return List.copyOf(this.claims);
		}

		synchronized List<String> violations() {
			return List.copyOf(this.violations);
		}

	}

}
