package dev.outrigger.election.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.outrigger.election.Candidacy;
import dev.outrigger.election.Election;
import dev.outrigger.election.ElectionTimings;
import dev.outrigger.election.LeaderObservation;
import dev.outrigger.election.kubernetes.FaultyApiServer.Fault;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lease elections against fabric8's mock API server in CRUD mode, three candidates, with
 * faults.
 */
@Timeout(60)
class LeaseElectionBackendTests {

	private static final ElectionTimings TIMINGS = new ElectionTimings(Duration.ofSeconds(3), Duration.ofSeconds(2),
			Duration.ofMillis(500));

	private final FaultyApiServer apiServer = new FaultyApiServer();

	private final List<Candidate> candidates = new ArrayList<>();

	/** Every observation of every candidate, stamped on one clock. */
	private final List<Event> events = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() {
		this.candidates.forEach((candidate) -> candidate.candidacy.stop());
		this.candidates.forEach((candidate) -> candidate.backend.close());
		this.apiServer.close();
	}

	@Test
	void threeCandidatesElectExactlyOneLeaderWhomTheOthersSee() {
		start("default", "a", "b", "c");
		Candidate leader = awaitOneLeader("default");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> this.candidates
				.forEach((candidate) -> assertThat(candidate.election.state().leader()).isEqualTo(leader.id)));
		long token = leader.election.state().fencingToken();
		assertThat(token).isPositive();
		this.candidates.stream()
			.filter((candidate) -> candidate != leader)
			.forEach((candidate) -> assertThat(candidate.election.state().fencingToken()).isEqualTo(token));
		Lease lease = this.apiServer.client("reader").leases().inNamespace("test").withName("default").get();
		assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(leader.id);
	}

	@Test
	void aGracefulStopHandsOverWithinTwoSecondsWithAHigherToken() {
		start("default", "a", "b", "c");
		Candidate leader = awaitOneLeader("default");
		long token = leader.election.state().fencingToken();
		long stopped = System.nanoTime();
		leader.candidacy.stop();
		assertThat(leader.election.state().isLeader()).isFalse();
		Candidate next = awaitOneLeader("default");
		assertThat(Duration.ofNanos(firstLeadingAfter(next.id, stopped) - stopped)).isLessThan(Duration.ofSeconds(2));
		assertThat(next).isNotSameAs(leader);
		assertThat(next.election.state().fencingToken()).isGreaterThan(token);
	}

	@Test
	void aLeaderWhoseApiServerFailsStepsDownBeforeAnotherTakesOver() {
		assertStepsDownBeforeTakeover(Fault.ERRORS);
	}

	@Test
	void aLeaderWhoseRequestsHangStepsDownBeforeAnotherTakesOver() {
		assertStepsDownBeforeTakeover(Fault.HANG);
	}

	@Test
	void aLeaderWhoseReadsAreSlowCountsItsTermFromTheLeasesRenewTimeNotFromItsWrite() {
		// fabric8 stamps the renew time before it reads the Lease: after a slow read the
		// lease the others see began well before the write that granted it. Two renewals
		// (read + write each) and a retry fit in this renew deadline, so the leader holds
		// on until its API server stops answering.
		ElectionTimings timings = new ElectionTimings(Duration.ofSeconds(4), Duration.ofMillis(3500),
				Duration.ofMillis(500));
		Instant wallAtStart = Instant.now();
		long nanosAtStart = System.nanoTime();
		this.apiServer.fault("a", Fault.SLOW_READS);
		start(timings, "default", "a");
		Candidate leader = awaitOneLeader("default");
		await().during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(4))
			.until(() -> leader.election.state().isLeader());
		long token = leader.election.state().fencingToken();
		this.apiServer.fault("a", Fault.HANG);
		start(timings, "default", "b");

		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> !leader.election.state().isLeader());
		assertNoOverlap();
		Lease lease = this.apiServer.client("reader").leases().inNamespace("test").withName("default").get();
		assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("a");
		Instant leaseEnds = lease.getSpec().getRenewTime().toInstant().plus(timings.leaseDuration());
		Instant steppedDown = wallAtStart.plusNanos(lastEvent("a", false).nanos - nanosAtStart);
		assertThat(steppedDown).isBefore(leaseEnds);
		await().atMost(Duration.ofSeconds(15)).until(() -> candidate("b").election.state().isLeader());
		assertNoOverlap();
		assertThat(candidate("b").election.state().fencingToken()).isGreaterThan(token);
	}

	@Test
	void resigningLetsAnotherCandidateLeadAndTheResignerMayWinAgain() {
		start("default", "a", "b");
		Candidate leader = awaitOneLeader("default");
		long token = leader.election.state().fencingToken();
		leader.candidacy.resign();
		await().atMost(Duration.ofSeconds(10)).until(() -> other(leader).election.state().isLeader());
		assertThat(other(leader).election.state().fencingToken()).isGreaterThan(token);
		other(leader).candidacy.stop();
		await().atMost(Duration.ofSeconds(10)).until(() -> leader.election.state().isLeader());
	}

	@Test
	void electionsAreIndependent() {
		start("one", "a", "b");
		start("two", "a", "b");
		Candidate leaderOfOne = awaitOneLeader("one");
		Candidate leaderOfTwo = awaitOneLeader("two");
		long twoToken = leaderOfTwo.election.state().fencingToken();
		leaderOfOne.candidacy.stop();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.candidates.stream()
				.anyMatch((c) -> c.election.name().equals("one") && c != leaderOfOne && c.election.state().isLeader()));
		assertThat(leaderOfTwo.election.state().isLeader()).isTrue();
		assertThat(leaderOfTwo.election.state().fencingToken()).isEqualTo(twoToken);
	}

	private void assertStepsDownBeforeTakeover(Fault fault) {
		start("default", "a", "b", "c");
		Candidate leader = awaitOneLeader("default");
		long token = leader.election.state().fencingToken();
		long faulted = System.nanoTime();
		this.apiServer.fault(leader.id, fault);

		await().atMost(Duration.ofSeconds(10)).until(() -> !leader.election.state().isLeader());
		long steppedDown = lastEvent(leader.id, false).nanos;
		assertThat(Duration.ofNanos(steppedDown - faulted))
			.isLessThanOrEqualTo(TIMINGS.renewDeadline().plus(TIMINGS.retryPeriod()));

		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.candidates.stream().anyMatch((c) -> c != leader && c.election.state().isLeader()));
		Candidate next = this.candidates.stream()
			.filter((c) -> c.election.state().isLeader())
			.findFirst()
			.orElseThrow();
		long tookOver = firstLeadingAfter(next.id, faulted);
		assertThat(steppedDown).isLessThan(tookOver);
		assertThat(Duration.ofNanos(tookOver - faulted))
			.isLessThanOrEqualTo(TIMINGS.leaseDuration().plus(TIMINGS.retryPeriod().multipliedBy(2)).plusSeconds(1));
		assertThat(next.election.state().fencingToken()).isGreaterThan(token);
		this.apiServer.fault(leader.id, Fault.NONE);
	}

	private void start(String election, String... ids) {
		start(TIMINGS, election, ids);
	}

	private void start(ElectionTimings timings, String election, String... ids) {
		for (String id : ids) {
			KubernetesClient client = this.apiServer.client(id);
			LeaseElectionBackend backend = new LeaseElectionBackend(client, "test", timings, null);
			Election view = new Election(election, id, "kubernetes", Clock.systemUTC());
			Candidacy candidacy = backend.campaign(election, id, (observation) -> {
				this.events.add(new Event(System.nanoTime(), id, election, observation));
				view.observe(observation);
			});
			this.candidates.add(new Candidate(id, view, candidacy, backend));
		}
	}

	private Candidate awaitOneLeader(String election) {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.candidates.stream()
				.filter((c) -> c.election.name().equals(election) && c.election.state().isLeader())
				.count() == 1);
		assertNoOverlap();
		return this.candidates.stream()
			.filter((c) -> c.election.name().equals(election) && c.election.state().isLeader())
			.findFirst()
			.orElseThrow();
	}

	/**
	 * No two candidates ever led the same election with the same token, nor at the same
	 * time.
	 */
	private void assertNoOverlap() {
		Map<String, String> leaderOf = new ConcurrentHashMap<>();
		Map<String, String> tokenHolder = new ConcurrentHashMap<>();
		for (Event event : this.events) {
			String key = event.election;
			boolean leads = event.candidate.equals(event.observation.leader());
			if (leads) {
				String holder = tokenHolder.putIfAbsent(key + "#" + event.observation.fencingToken(), event.candidate);
				assertThat(holder).as("token %s held twice", event.observation.fencingToken())
					.isIn(null, event.candidate);
				String current = leaderOf.get(key);
				assertThat(current).as("%s led while %s still did", event.candidate, current)
					.isIn(null, event.candidate);
				leaderOf.put(key, event.candidate);
			}
			else if (event.candidate.equals(leaderOf.get(key))) {
				leaderOf.remove(key);
			}
		}
	}

	private long firstLeadingAfter(String id, long after) {
		return this.events.stream()
			.filter((e) -> e.candidate.equals(id) && e.nanos >= after && id.equals(e.observation.leader()))
			.mapToLong(Event::nanos)
			.min()
			.orElseThrow();
	}

	private Candidate candidate(String id) {
		return this.candidates.stream().filter((c) -> c.id.equals(id)).findFirst().orElseThrow();
	}

	private Event lastEvent(String id, boolean leading) {
		return this.events.stream()
			.filter((e) -> e.candidate.equals(id) && id.equals(e.observation.leader()) == leading)
			.reduce((first, second) -> second)
			.orElseThrow();
	}

	private Candidate other(Candidate candidate) {
		return this.candidates.stream().filter((c) -> c != candidate).findFirst().orElseThrow();
	}

	private record Candidate(String id, Election election, Candidacy candidacy, LeaseElectionBackend backend) {
	}

	private record Event(long nanos, String candidate, String election, LeaderObservation observation) {
	}

}
