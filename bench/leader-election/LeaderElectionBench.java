import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Failover benchmark for the leader-elector: three real leader-elector processes per backend
 * (kubernetes on fabric8's mock API server, kafka on an embedded KRaft broker, jdbc on a private
 * PostgreSQL), a watcher following every candidate's /leader/events stream into one shared log, and
 * N runs each of crash failover (SIGKILL the leader) and graceful handover (SIGTERM the leader,
 * which drains and releases). Prints median and p95 per backend and the total overlap of
 * leadership intervals, then the same crash runs at client-go's default timings as the baseline.
 *
 * Run it with bench/leader-election/run.sh.
 */
public class LeaderElectionBench {

	static final Pattern IS_LEADER = Pattern.compile("\"isLeader\":(true|false)");

	static final Pattern TOKEN = Pattern.compile("\"fencingToken\":(\\d+)");

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

	record Timings(String lease, String renew, String retry) {
	}

	record Event(long nanos, String candidate, boolean leader, long token) {
	}

	record Result(String backend, String timings, List<Long> crashMs, List<Long> gracefulMs, long overlapMs,
			long tokenViolations) {
	}

	public static void main(String[] args) throws Exception {
		Path jar = Path.of(args[0]);
		int runs = Integer.parseInt(args[1]);
		int baselineRuns = Integer.parseInt(args[2]);
		Path out = Path.of(args[3]);
		Path logs = Files.createDirectories(Path.of(args[4]));
		List<String> selected = List.of((args.length > 5 ? args[5] : "kubernetes,kafka,jdbc,baseline").split(","));
		((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(ch.qos.logback.classic.Level.WARN);
		// the mock API server logs every request through java.util.logging
		java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
		Timings fast = new Timings("3s", "2s", "500ms");
		Timings clientGo = new Timings("15s", "10s", "2s");

		List<Result> results = new ArrayList<>();
		EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
		kafka.brokerProperties(Map.of("group.min.session.timeout.ms", "1000", "group.initial.rebalance.delay.ms", "0",
				"transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1",
				"offsets.topic.replication.factor", "1"));
		kafka.afterPropertiesSet();
		KubernetesMockServer kubernetes = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
				new KubernetesCrudDispatcher(), false);
		kubernetes.init(InetAddress.getLoopbackAddress(), 0);
		Postgres postgres = Postgres.start(logs);
		try {
			Map<String, Map<String, String>> backends = new LinkedHashMap<>();
			backends.put("kubernetes", Map.of("OUTRIGGER_ELECTION_BACKEND", "kubernetes", "KUBERNETES_MASTER",
					"http://127.0.0.1:" + kubernetes.getPort(), "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
					"KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false", "OUTRIGGER_ELECTION_NAMESPACE", "bench"));
			backends.put("kafka", Map.of("OUTRIGGER_ELECTION_BACKEND", "kafka",
					"OUTRIGGER_ELECTION_KAFKA_BOOTSTRAP_SERVERS", kafka.getBrokersAsString()));
			backends.put("jdbc", Map.of("OUTRIGGER_ELECTION_BACKEND", "jdbc", "OUTRIGGER_ELECTION_JDBC_URL",
					postgres.url(), "OUTRIGGER_ELECTION_JDBC_USERNAME", "postgres"));
			for (var backend : backends.entrySet()) {
				if (selected.contains(backend.getKey())) {
					results.add(measure(jar, backend.getKey(), backend.getValue(), fast, runs, runs, logs));
				}
			}
			if (selected.contains("baseline")) {
				results.add(measure(jar, "kubernetes", backends.get("kubernetes"), clientGo, baselineRuns, 0, logs));
			}
		}
		finally {
			postgres.close();
			kubernetes.destroy();
			kafka.destroy();
		}
		String report = report(results, runs, baselineRuns);
		System.out.println(report);
		Files.writeString(out, report);
	}

	static Result measure(Path jar, String backend, Map<String, String> env, Timings timings, int crashRuns,
			int gracefulRuns, Path logs) throws Exception {
		String election = "bench-" + backend + "-" + timings.lease().replace("s", "");
		System.out.printf("%n== %s (lease %s, renew %s, retry %s): %d crash + %d graceful runs%n", backend,
				timings.lease(), timings.renew(), timings.retry(), crashRuns, gracefulRuns);
		List<Event> events = new CopyOnWriteArrayList<>();
		Map<String, Candidate> candidates = new ConcurrentHashMap<>();
		for (String id : List.of("c1", "c2", "c3")) {
			candidates.put(id, Candidate.start(jar, id, election, env, timings, logs, events));
		}
		List<Long> crash = new ArrayList<>();
		List<Long> graceful = new ArrayList<>();
		try {
			List<Boolean> plan = new ArrayList<>();
			for (int i = 0; i < Math.max(crashRuns, gracefulRuns); i++) {
				if (i < crashRuns) {
					plan.add(true);
				}
				if (i < gracefulRuns) {
					plan.add(false);
				}
			}
			for (int run = 0; run < plan.size(); run++) {
				boolean isCrash = plan.get(run);
				awaitAllUp(candidates.values());
				Candidate leader = awaitOneLeader(candidates.values(), Duration.ofSeconds(120));
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
		return new Result(backend, timings.lease() + "/" + timings.renew() + "/" + timings.retry(), crash, graceful,
				overlapMs(events), duplicateTokens(events));
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

	static String report(List<Result> results, int runs, int baselineRuns) {
		StringBuilder md = new StringBuilder();
		md.append("| backend | timings (lease/renew/retry) | crash failover median | p95 | graceful handover median | p95 | overlap | duplicate tokens |\n");
		md.append("|---|---|---|---|---|---|---|---|\n");
		for (Result r : results) {
			md.append("| %s | %s | %s | %s | %s | %s | %d ms | %d |%n".formatted(r.backend(), r.timings(),
					ms(percentile(r.crashMs(), 50)), ms(percentile(r.crashMs(), 95)),
					ms(percentile(r.gracefulMs(), 50)), ms(percentile(r.gracefulMs(), 95)), r.overlapMs(),
					r.tokenViolations()));
		}
		Result baseline = results.getLast();
		md.append("%nBaseline: the kubernetes backend at client-go's default timings (15s/10s/2s), %d crash runs;"
				.formatted(baselineRuns));
		md.append(" the anchors derive ~15–24 s crash failover for client-go and measured ~7 s graceful handover"
				+ " without ReleaseOnCancel (Karpenter #901).%n".formatted());
		for (Result r : results.subList(0, results.size() - 1)) {
			md.append("- %s: crash failover median is %.2f× the baseline's; graceful handover median is %.3f× the"
				.formatted(r.backend(), ratio(r.crashMs(), baseline.crashMs()), ratio(r.gracefulMs(), baseline.crashMs()))
					+ " baseline's crash failover%n".formatted());
		}
		return md.toString();
	}

	static double ratio(List<Long> ours, List<Long> theirs) {
		return percentile(ours, 50) / (double) percentile(theirs, 50);
	}

	static long percentile(List<Long> values, int p) {
		if (values.isEmpty()) {
			return -1;
		}
		List<Long> sorted = values.stream().sorted().toList();
		int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
	}

	static String ms(long value) {
		return value < 0 ? "–" : value + " ms";
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
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
			int port = freePort();
			ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", jar.toString());
			builder.environment().putAll(env);
			builder.environment().put("OUTRIGGER_HTTP_PORT", Integer.toString(port));
			builder.environment().put("OUTRIGGER_ELECTION_ID", id);
			builder.environment().put("OUTRIGGER_ELECTION_NAMES", election);
			builder.environment().put("OUTRIGGER_ELECTION_LEASE_DURATION", timings.lease());
			builder.environment().put("OUTRIGGER_ELECTION_RENEW_DEADLINE", timings.renew());
			builder.environment().put("OUTRIGGER_ELECTION_RETRY_PERIOD", timings.retry());
			builder.environment().put("OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT", "5s");
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

	/** A private PostgreSQL cluster from Debian's binaries, run as the postgres user when root. */
	record Postgres(Path home, int port, String bin) implements AutoCloseable {

		static Postgres start(Path logs) throws Exception {
			String bin;
			try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
				bin = versions.max(Comparator.naturalOrder()).orElseThrow().resolve("bin").toString();
			}
			Path home = Files.createTempDirectory("bench-postgres-");
			run("chown", "postgres:postgres", home.toString());
			int port = freePort();
			asPostgres(bin + "/initdb", "-D", home + "/data", "-U", "postgres", "--auth=trust", "--no-sync");
			asPostgres(bin + "/pg_ctl", "-D", home + "/data", "-l", home + "/server.log", "-w", "-o",
					"-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
			return new Postgres(home, port, bin);
		}

		String url() {
			return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
		}

		@Override
		public void close() throws Exception {
			asPostgres(this.bin + "/pg_ctl", "-D", this.home + "/data", "-m", "immediate", "stop");
		}

		static void asPostgres(String... command) throws Exception {
			List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
			full.addAll(List.of(command));
			run(full.toArray(String[]::new));
		}

		static void run(String... command) throws Exception {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes());
			if (process.waitFor() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
			}
		}

	}

}
