package dev.outrigger.election.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.outrigger.election.Candidacy;
import dev.outrigger.election.ElectionObserver;
import dev.outrigger.election.ElectionTimings;
import dev.outrigger.election.LeaderObservation;
import dev.outrigger.testsupport.process.PostgresServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link JdbcElectionBackend} against a real PostgreSQL server on loopback. Every
 * candidate is a separate sidecar (its own pool and backend) unless a test says
 * otherwise; every test uses its own table. Each test also checks that no two candidates
 * ever believed they led at once.
 */
@Timeout(120)
class JdbcElectionBackendTests {

	private static final Duration LEASE = Duration.ofSeconds(3);

	private static final Duration RENEW_DEADLINE = Duration.ofSeconds(2);

	private static final Duration RETRY = Duration.ofMillis(500);

	private static final ElectionTimings TIMINGS = new ElectionTimings(LEASE, RENEW_DEADLINE, RETRY);

	/** Scheduling slack allowed on top of a deadline on a busy 2-core machine. */
	private static final Duration SLACK = Duration.ofMillis(300);

	private static final Map<String, Duration> measured = Collections.synchronizedMap(new LinkedHashMap<>());

	private static PostgresServer postgres;

	private final List<Sidecar> sidecars = new ArrayList<>();

	private final List<Candidate> candidates = new ArrayList<>();

	@BeforeAll
	static void startPostgres() throws Exception {
		postgres = PostgresServer.start();
	}

	@AfterAll
	static void stopPostgres() throws Exception {
		measured
			.forEach((what, time) -> System.out.println("[jdbc election] " + what + ": " + time.toMillis() + " ms"));
		if (postgres != null) {
			postgres.close();
		}
	}

	@AfterEach
	void stopCandidates() throws Exception {
		postgres.restart();
		this.candidates.forEach((candidate) -> candidate.candidacy().stop());
		this.sidecars.forEach(Sidecar::close);
	}

	@Test
	void threeCandidatesElectExactlyOneLeaderThatTheOthersSeeWithTheSameToken() {
		List<Candidate> group = campaignAll("three_candidates", "default", "a", "b", "c");

		Candidate leader = awaitLeader(group, Duration.ofSeconds(5));

		assertThat(leader.latest().fencingToken()).isPositive();
		// and it stays that way: renewals keep the leader and its token
		LeaderObservation agreed = leader.latest();
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(3))
			.until(() -> group.stream().allMatch((candidate) -> candidate.latest().equals(agreed)));
		assertNoOverlap(group);
	}

	@Test
	void aCrashedLeaderIsReplacedAfterTheLeaseWithAHigherToken() {
		List<Candidate> group = campaignAll("crash", "default", "a", "b", "c");
		Candidate leader = awaitLeader(group, Duration.ofSeconds(5));
		long token = leader.latest().fencingToken();
		List<Candidate> others = without(group, leader);

		long halted = System.nanoTime();
		leader.jdbcCandidacy().halt(); // no release: the lease has to run out

		Candidate next = awaitLeader(others, LEASE.plus(RETRY.multipliedBy(2)).plus(SLACK.multipliedBy(2)));
		Duration failover = next.recorder().firstLeadAfter(halted);
		measured.put("crash failover (halt -> first new leader report)", failover);
		assertThat(failover).isLessThanOrEqualTo(LEASE.plus(RETRY.multipliedBy(2)));
		assertThat(next.latest().fencingToken()).isGreaterThan(token);
		// the halted leader's own deadline withdrew its claim, before the takeover
		Duration withdrawn = leader.recorder().firstNotLeadingAfter(halted);
		measured.put("crash: halted leader withdrew its claim after", withdrawn);
		assertThat(withdrawn).isLessThanOrEqualTo(RENEW_DEADLINE.plus(SLACK));
		assertNoOverlap(group);
	}

	@Test
	void aStoppedLeaderReleasesSoTheNextLeadsAtOnce() {
		List<Candidate> group = campaignAll("graceful", "default", "a", "b", "c");
		Candidate leader = awaitLeader(group, Duration.ofSeconds(5));
		long token = leader.latest().fencingToken();

		long stopping = System.nanoTime();
		leader.candidacy().stop();
		Duration stopTook = since(stopping);
		measured.put("graceful stop() returned after", stopTook);
		assertThat(stopTook).isLessThan(RENEW_DEADLINE);
		assertThat(leader.latest()).isEqualTo(LeaderObservation.nobody());

		Candidate next = awaitLeader(without(group, leader), Duration.ofSeconds(2));
		Duration handover = next.recorder().firstLeadAfter(stopping);
		measured.put("graceful handover (stop -> first new leader report)", handover);
		assertThat(handover).isLessThanOrEqualTo(Duration.ofSeconds(2));
		assertThat(next.latest().fencingToken()).isGreaterThan(token);
		leader.candidacy().stop(); // idempotent
		assertNoOverlap(group);
	}

	@Test
	void aLeaderThatCannotReachTheDatabaseStopsLeadingWithinTheRenewDeadline() throws Exception {
		List<Candidate> group = campaignAll("unreachable", "default", "a", "b", "c");
		Candidate leader = awaitLeader(group, Duration.ofSeconds(5));
		long token = leader.latest().fencingToken();

		long stopping = System.nanoTime();
		postgres.stop();
		await().atMost(RENEW_DEADLINE.plus(SLACK)).until(() -> !leader.leads());
		Duration withdrawn = leader.recorder().firstNotLeadingAfter(stopping);
		measured.put("database stopped -> leader reports not leading", withdrawn);
		assertThat(withdrawn).isLessThanOrEqualTo(RENEW_DEADLINE.plus(SLACK));
		// followers can no longer tell either
		await().atMost(RENEW_DEADLINE.plus(SLACK))
			.until(() -> group.stream().allMatch((candidate) -> candidate.latest().leader() == null));

		long restarting = System.nanoTime();
		postgres.restart();
		Candidate again = awaitLeader(group, Duration.ofSeconds(10));
		measured.put("database restarted -> leader agreed again", since(restarting));
		long againToken = again.latest().fencingToken();
		assertThat(againToken).isGreaterThanOrEqualTo(token);

		// stop() cannot release while the database is away, yet returns within the renew
		// deadline
		postgres.stop();
		long stoppingCandidacy = System.nanoTime();
		again.candidacy().stop();
		Duration stopTook = since(stoppingCandidacy);
		measured.put("stop() while the database is down returned after", stopTook);
		assertThat(stopTook).isLessThan(RENEW_DEADLINE);
		assertThat(again.latest()).isEqualTo(LeaderObservation.nobody());
		postgres.restart();
		List<Candidate> rest = without(group, again);
		// its term lapses at the end of the lease; then another candidate takes over
		Candidate next = awaitLeader(rest, LEASE.plus(Duration.ofSeconds(5)));
		assertThat(next.latest().fencingToken()).isGreaterThan(againToken);
		assertNoOverlap(group);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "pool with timeouts", "plain data source without timeouts" })
	void aLeaderBlockedByASlowDatabaseStopsLeadingWithinTheRenewDeadline(String dataSources) throws Exception {
		String table = "slow_" + (dataSources.startsWith("pool") ? "pooled" : "plain");
		List<Candidate> group = new ArrayList<>();
		for (String id : List.of("a", "b")) {
			DataSource dataSource = dataSources.startsWith("pool") ? pool() : plainDataSource();
			group.add(campaign(sidecar(id, table, dataSource), "default"));
		}
		Candidate leader = awaitLeader(group, Duration.ofSeconds(5));
		long token = leader.latest().fencingToken();

		try (Connection blocker = postgres.connect()) {
			// "accepts, never answers": every renewal waits on the row lock
			blocker.setAutoCommit(false);
			try (PreparedStatement lock = blocker
				.prepareStatement("SELECT 1 FROM " + table + " WHERE election = 'default' FOR UPDATE")) {
				lock.executeQuery().close();
			}
			long blocked = System.nanoTime();
			await().atMost(RENEW_DEADLINE.plus(SLACK)).until(() -> !leader.leads());
			Duration withdrawn = leader.recorder().firstNotLeadingAfter(blocked);
			measured.put("row locked (" + dataSources + ") -> leader reports not leading", withdrawn);
			assertThat(withdrawn).isLessThanOrEqualTo(RENEW_DEADLINE.plus(SLACK));
			// nobody else can lead meanwhile
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(2))
				.until(() -> group.stream().noneMatch(Candidate::leads));
			blocker.rollback();
		}
		long unlocked = System.nanoTime();
		Candidate again = awaitLeader(group, Duration.ofSeconds(5));
		measured.put("row unlocked (" + dataSources + ") -> leader agreed again", since(unlocked));
		assertThat(again.latest().fencingToken()).isGreaterThanOrEqualTo(token);
		assertNoOverlap(group);
	}

	@Test
	void electionsAreIndependent() {
		Sidecar a = sidecar("a", "independent");
		Sidecar b = sidecar("b", "independent");
		Candidate aAlpha = campaign(a, "alpha");
		Candidate aBeta = campaign(a, "beta");
		await().atMost(Duration.ofSeconds(5)).until(() -> aAlpha.leads() && aBeta.leads());
		Candidate bAlpha = campaign(b, "alpha");
		Candidate bBeta = campaign(b, "beta");
		assertThat(awaitLeader(List.of(aAlpha, bAlpha), Duration.ofSeconds(3))).isSameAs(aAlpha);
		assertThat(awaitLeader(List.of(aBeta, bBeta), Duration.ofSeconds(3))).isSameAs(aBeta);
		LeaderObservation beta = aBeta.latest();
		long alphaToken = aAlpha.latest().fencingToken();

		aAlpha.candidacy().stop();

		assertThat(awaitLeader(List.of(bAlpha), Duration.ofSeconds(2))).isSameAs(bAlpha);
		assertThat(bAlpha.latest().fencingToken()).isGreaterThan(alphaToken);
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(2))
			.until(() -> aBeta.latest().equals(beta) && bBeta.latest().equals(beta));
		assertNoOverlap(List.of(aAlpha, bAlpha));
		assertNoOverlap(List.of(aBeta, bBeta));
	}

	@Test
	void tokensStrictlyIncreaseOverHandoversAndSurviveNewBackendInstances() throws SQLException {
		String table = "tokens";
		List<Long> tokens = new ArrayList<>();
		List<Candidate> everyone = new ArrayList<>();
		Sidecar previousSidecar = sidecar("gen-0", table);
		Candidate previous = campaign(previousSidecar, "default");
		everyone.add(previous);
		awaitLeader(List.of(previous), Duration.ofSeconds(5));
		tokens.add(previous.latest().fencingToken());
		for (int generation = 1; generation <= 4; generation++) {
			Sidecar sidecar = sidecar("gen-" + generation, table);
			Candidate next = campaign(sidecar, "default");
			everyone.add(next);
			assertThat(awaitLeader(List.of(previous, next), Duration.ofSeconds(3))).isSameAs(previous);
			previous.candidacy().stop();
			previousSidecar.close(); // a new backend instance, as after a restart
			assertThat(awaitLeader(List.of(next), Duration.ofSeconds(2))).isSameAs(next);
			tokens.add(next.latest().fencingToken());
			previous = next;
			previousSidecar = sidecar;
		}
		// everyone gone, then a fresh backend reusing the first id: still a higher token
		previous.candidacy().stop();
		previousSidecar.close();
		Candidate reborn = campaign(sidecar("gen-0", table), "default");
		everyone.add(reborn);
		awaitLeader(List.of(reborn), Duration.ofSeconds(2));
		tokens.add(reborn.latest().fencingToken());

		assertThat(tokens).hasSize(6).isSorted().doesNotHaveDuplicates();
		try (Connection connection = postgres.connect();
				ResultSet row = connection.createStatement()
					.executeQuery("SELECT holder, fencing_token FROM tokens WHERE election = 'default'")) {
			assertThat(row.next()).isTrue();
			assertThat(row.getString(1)).isEqualTo("gen-0");
			assertThat(row.getLong(2)).isEqualTo(tokens.getLast());
		}
		assertNoOverlap(everyone);
	}

	@Test
	void aResigningLeaderStepsDownAtOnceAndSomeoneElseLeadsWithAHigherToken() {
		List<Candidate> group = campaignAll("resign", "default", "a", "b", "c");
		Candidate leader = awaitLeader(group, Duration.ofSeconds(5));
		long token = leader.latest().fencingToken();

		long resigning = System.nanoTime();
		leader.candidacy().resign();
		assertThat(leader.leads()).isFalse();

		Candidate next = awaitLeader(group, Duration.ofSeconds(3));
		measured.put("resign -> first new leader report", next.recorder().firstLeadAfter(resigning));
		assertThat(next).isNotSameAs(leader);
		assertThat(next.latest().fencingToken()).isGreaterThan(token);

		// the resigned candidate kept campaigning, so it can win again
		without(group, leader).forEach((other) -> other.candidacy().stop());
		assertThat(awaitLeader(List.of(leader), Duration.ofSeconds(2))).isSameAs(leader);
		assertThat(leader.latest().fencingToken()).isGreaterThan(next.latest().fencingToken());
		assertNoOverlap(group);
	}

	@Test
	void theTableIsCreatedWhenAbsent() throws SQLException {
		assertThat(tableExists("created")).isFalse();
		Sidecar sidecar = sidecar("a", "created");
		assertThat(tableExists("created")).as("the constructor does no I/O").isFalse();

		Candidate candidate = campaign(sidecar, "default");
		awaitLeader(List.of(candidate), Duration.ofSeconds(5));

		try (Connection connection = postgres.connect();
				PreparedStatement query = connection.prepareStatement("SELECT column_name, data_type, is_nullable "
						+ "FROM information_schema.columns WHERE table_name = 'created' ORDER BY ordinal_position");
				ResultSet columns = query.executeQuery()) {
			List<String> described = new ArrayList<>();
			while (columns.next()) {
				described.add(columns.getString(1) + " " + columns.getString(2) + " " + columns.getString(3));
			}
			assertThat(described).containsExactly("election text NO", "holder text YES", "fencing_token bigint NO",
					"renewed_at timestamp with time zone NO", "lease_ms bigint NO");
		}
		try (Connection connection = postgres.connect();
				ResultSet row = connection.createStatement()
					.executeQuery("SELECT holder, fencing_token, lease_ms FROM created WHERE election = 'default'")) {
			assertThat(row.next()).isTrue();
			assertThat(row.getString(1)).isEqualTo("a");
			assertThat(row.getLong(2)).isEqualTo(candidate.latest().fencingToken());
			assertThat(row.getLong(3)).isEqualTo(LEASE.toMillis());
		}
	}

	@Test
	void aSchemaQualifiedTableIsCreatedInItsSchema() throws SQLException {
		try (Connection connection = postgres.connect()) {
			connection.createStatement().execute("CREATE SCHEMA IF NOT EXISTS app");
		}
		Candidate candidate = campaign(sidecar("a", "app.elections"), "default");
		awaitLeader(List.of(candidate), Duration.ofSeconds(5));
		assertThat(tableExists("app.elections")).isTrue();
	}

	@Test
	void tableNamesMustBePlainIdentifiers() {
		for (String bad : List.of("", "Outrigger", "1table", "a-b", "a;drop table x", "a.b.c", ".a", "a.", "\"a\"",
				"a".repeat(64))) {
			assertThatIllegalArgumentException().as(bad)
				.isThrownBy(() -> new JdbcElectionBackend(new PGSimpleDataSource(), bad, TIMINGS))
				.withMessageContaining("lowercase");
		}
		assertThat(JdbcElectionBackend.quotedTable("outrigger_election")).isEqualTo("\"outrigger_election\"");
		assertThat(JdbcElectionBackend.quotedTable("app.t_1")).isEqualTo("\"app\".\"t_1\"");
	}

	@Test
	void nameIsJdbc() {
		try (JdbcElectionBackend backend = new JdbcElectionBackend(new PGSimpleDataSource(), "t", TIMINGS)) {
			assertThat(backend.name()).isEqualTo("jdbc");
		}
	}

	// --- helpers

	private List<Candidate> campaignAll(String table, String election, String... ids) {
		List<Candidate> group = new ArrayList<>();
		for (String id : ids) {
			group.add(campaign(sidecar(id, table), election));
		}
		return group;
	}

	private Sidecar sidecar(String id, String table) {
		return sidecar(id, table, pool());
	}

	private Sidecar sidecar(String id, String table, DataSource dataSource) {
		Sidecar sidecar = new Sidecar(id, dataSource, new JdbcElectionBackend(dataSource, table, TIMINGS));
		this.sidecars.add(sidecar);
		return sidecar;
	}

	private static HikariDataSource pool() {
		return JdbcElectionDataSource.create(postgres.jdbcUrl(), postgres.username(), null, TIMINGS);
	}

	private static DataSource plainDataSource() {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(postgres.jdbcUrl());
		dataSource.setUser(postgres.username());
		return dataSource;
	}

	private Candidate campaign(Sidecar sidecar, String election) {
		Recorder recorder = new Recorder(sidecar.id());
		Candidate candidate = new Candidate(sidecar.id(), election,
				sidecar.backend().campaign(election, sidecar.id(), recorder), recorder);
		this.candidates.add(candidate);
		return candidate;
	}

	/**
	 * Waits until exactly one of {@code group} leads and all of them agree on who and
	 * which token.
	 */
	private static Candidate awaitLeader(List<Candidate> group, Duration atMost) {
		AtomicReference<@Nullable Candidate> leader = new AtomicReference<>();
		await().atMost(atMost).pollInterval(Duration.ofMillis(10)).until(() -> {
			List<Candidate> leading = group.stream().filter(Candidate::leads).toList();
			LeaderObservation agreed = group.getFirst().latest();
			if (leading.size() == 1 && group.stream().allMatch((candidate) -> candidate.latest().equals(agreed))) {
				leader.set(leading.getFirst());
				return true;
			}
			return false;
		});
		return leader.get();
	}

	/** No two candidates of one election ever believed they led at the same time. */
	private static void assertNoOverlap(List<Candidate> group) {
		List<long[]> terms = new ArrayList<>();
		for (Candidate candidate : group) {
			terms.addAll(candidate.recorder().terms());
		}
		terms.sort(Comparator.comparingLong((long[] term) -> term[0]));
		for (int i = 1; i < terms.size(); i++) {
			assertThat(terms.get(i)[0]).as("a term began before the previous one ended")
				.isGreaterThanOrEqualTo(terms.get(i - 1)[1]);
		}
	}

	private static List<Candidate> without(List<Candidate> group, Candidate excluded) {
		return group.stream().filter((candidate) -> candidate != excluded).toList();
	}

	private static boolean tableExists(String table) throws SQLException {
		try (Connection connection = postgres.connect();
				PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
			query.setString(1, table);
			try (ResultSet result = query.executeQuery()) {
				result.next();
				return result.getBoolean(1);
			}
		}
	}

	private static Duration since(long nanos) {
		return Duration.ofNanos(System.nanoTime() - nanos);
	}

	/** One sidecar: its own pool and backend. */
	private record Sidecar(String id, DataSource dataSource, JdbcElectionBackend backend) {

		void close() {
			this.backend.close();
			if (this.dataSource instanceof HikariDataSource pool) {
				pool.close();
			}
		}

	}

	private record Candidate(String id, String election, Candidacy candidacy, Recorder recorder) {

		LeaderObservation latest() {
			return this.recorder.latest();
		}

		boolean leads() {
			return this.id.equals(latest().leader());
		}

		JdbcCandidacy jdbcCandidacy() {
			return (JdbcCandidacy) this.candidacy;
		}

	}

	/** Records every observation with the moment it arrived. */
	private static final class Recorder implements ElectionObserver {

		private final String self;

		private final List<Event> events = new CopyOnWriteArrayList<>();

		private volatile LeaderObservation latest = LeaderObservation.nobody();

		Recorder(String self) {
			this.self = self;
		}

		@Override
		public void observe(LeaderObservation observation) {
			this.events.add(new Event(System.nanoTime(), observation));
			this.latest = observation;
		}

		LeaderObservation latest() {
			return this.latest;
		}

		/** [start, end) of every stretch in which this candidate believed it led. */
		List<long[]> terms() {
			List<long[]> terms = new ArrayList<>();
			long start = -1;
			for (Event event : this.events) {
				boolean leads = this.self.equals(event.observation().leader());
				if (leads && start < 0) {
					start = event.nanos();
				}
				else if (!leads && start >= 0) {
					terms.add(new long[] { start, event.nanos() });
					start = -1;
				}
			}
			if (start >= 0) {
				terms.add(new long[] { start, Long.MAX_VALUE });
			}
			return terms;
		}

		Duration firstLeadAfter(long nanos) {
			return firstAfter(nanos, true);
		}

		Duration firstNotLeadingAfter(long nanos) {
			return firstAfter(nanos, false);
		}

		private Duration firstAfter(long nanos, boolean leading) {
			return this.events.stream()
				.filter((event) -> event.nanos() - nanos >= 0)
				.filter((event) -> this.self.equals(event.observation().leader()) == leading)
				.findFirst()
				.map((event) -> Duration.ofNanos(event.nanos() - nanos))
				.orElseThrow(() -> new AssertionError(this.self + " never " + (leading ? "led" : "stopped leading")));
		}

	}

	private record Event(long nanos, LeaderObservation observation) {
	}

}
