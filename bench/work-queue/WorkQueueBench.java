import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;
import dev.outrigger.testsupport.kafka.KraftBroker;
import dev.outrigger.testsupport.net.LoopbackPorts;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Work-queue benchmark, in one invocation on one KRaft broker: the raw Kafka produce+consume
 * ceiling (baseline), then per engine three phases, each with its own topics, a fresh coordinator
 * and agent process, and a worker in this process — no-op worker throughput, 10 ms worker
 * throughput at concurrency C, and submit → worker call latency at a fixed rate — each measured
 * once the JIT compilers have settled. All of it {@code rounds} times; each figure printed is the
 * median of the rounds with their min–max beside it, and the settings of the broker, the
 * coordinator and the agent that are not their defaults are printed with them.
 *   java -cp <test classpath> WorkQueueBench.java <jar> <items> <rounds> <table.md> <logs> <engines>
 */
public class WorkQueueBench {

	static final int CONCURRENCY_NOOP = 32;

	static final int CONCURRENCY_SLOW = 8;

	/**
	 * The latency phase's agent runs at its default concurrency: a no-op worker at 1,000 items/s
	 * keeps one or two calls in flight, and more consumers only cost CPU on these shared cores.
	 */
	static final int CONCURRENCY_LATENCY = 8;

	static final int SHARE_PARTITIONS = 8;

	static final int SLOW_MILLIS = 10;

	static final int RATE = 1000;

	/** A p99 over a minute: over 15 s it moved with the one or two longest collections that fell in it. */
	static final Duration RATE_RUN = Duration.ofSeconds(60);

	/** The longest wait for the latency warm-up's backlog to drain before the measured run. */
	static final Duration DRAIN_LIMIT = Duration.ofMinutes(5);

	/**
	 * How long the heap phase submits at {@link #RATE}/s with the default status retention (7 days):
	 * the coordinator's live heap is read after its first minute and at its end. BENCH_HEAP_MINUTES
	 * shortens it for a trial run; the results say how long it ran.
	 */
	static final Duration HEAP_RUN = Duration
		.ofMinutes(Integer.parseInt(System.getenv().getOrDefault("BENCH_HEAP_MINUTES", "30")));

	static final Duration HEAP_FIRST_READING = Duration.ofMinutes(1);

	static final Pattern HEAP_USED = Pattern
		.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.Ee+]+)");

	/**
	 * Which phases run (BENCH_PHASES, default all: throughput,latency,heap); the results name the
	 * ones that ran.
	 */
	static final List<String> PHASES = List
		.of(System.getenv().getOrDefault("BENCH_PHASES", "throughput,latency,heap").split(","));

	/**
	 * Each phase runs its load before measuring until the JIT compilers of all three JVMs have
	 * settled: at least this long. On these two busy cores the compilers of a fresh JVM take about a
	 * sixth of a core each for two to three minutes, so a fixed minute measured them too.
	 */
	static final Duration WARM_UP = Duration.ofSeconds(60);

	/** The longest warm-up: a JIT not settled by then is noted beside the figures, not waited for. */
	static final Duration WARM_UP_LIMIT = Duration.ofSeconds(300);

	/** How often the warm-up looks at the compilers. */
	static final Duration WARM_UP_STEP = Duration.ofSeconds(10);

	/** Settled: every JVM compiled for less than this share of the last step (elapsed compile time). */
	static final double SETTLED_COMPILE_SHARE = 0.05;

	static final Pattern COMPILATION_MILLIS = Pattern.compile("(?m)^jvm_compilation_time_ms_total\\{[^}]*\\} ([0-9.Ee+]+)");

	static final int IN_FLIGHT = 64;

	static final String QUEUE = "q";

	static final int BASELINE_BATCHES = 10;

	/**
	 * The most items/s a throughput phase's warm-up submits: kept from when the status view was on
	 * the heap (at full speed, the minutes a JIT takes to settle left a million finished items in
	 * it), so the figures compare with those runs.
	 */
	static final int WARM_UP_RATE = 1000;

	static final Pattern SUCCEEDED = Pattern.compile("\"SUCCEEDED\":(\\d+)");

	/** The coordinator's and agent's JVM options (BENCH_JVM_OPTS adds to them). */
	static final List<String> PROCESS_JVM = List.of("-XX:+UseSerialGC", "-Xss512k", "-Xmx768m",
			"-XX:TieredStopAtLevel=4");

	/**
	 * The load generator's client: blocking, pooled, on virtual threads — lean, so the load costs the
	 * shared cores little (the JDK's asynchronous client cost the agent about 0.1 ms of CPU per call).
	 */
	final CloseableHttpClient http = HttpClients.custom()
		.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
			.setMaxConnTotal(IN_FLIGHT * 2)
			.setMaxConnPerRoute(IN_FLIGHT * 2)
			.build())
		.disableAutomaticRetries()
		.build();

	final Map<Long, Long> received = new ConcurrentHashMap<>();

	/** The worker's own time (request read to response written) over the calls since the last reset. */
	final LongAdder workerNanos = new LongAdder();

	final LongAdder workerCalls = new LongAdder();

	/**
	 * Per measured run, in the order run, the CPU each process spent per item: not skewed by
	 * whatever else shares the cores.
	 */
	final List<PhaseCpu> cpu = new ArrayList<>();

	/** Per latency run: the engine, and how long the warm-up's backlog took to drain. */
	final List<String> drains = new ArrayList<>();

	volatile int workerDelayMillis;

	volatile double achievedRate;

	String bootstrap;

	public static void main(String[] args) throws Exception {
		((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(ch.qos.logback.classic.Level.WARN);
		int rounds = Integer.parseInt(args[2]);
		if (rounds < 3) {
			throw new IllegalArgumentException("every figure is a median of at least 3 rounds: rounds >= 3");
		}
		new WorkQueueBench().run(Path.of(args[0]), Integer.parseInt(args[1]), rounds, Path.of(args[3]),
				Path.of(args[4]), List.of(args[5].split(",")));
	}

	/** One round's figures for one engine. */
	record EngineRound(double noop, double slow, long p50, long p99, long achieved, long neverCalled,
			double baseline) {
	}

	/**
	 * One round's heap phase: the coordinator's live heap (after a full collection) one minute into
	 * the load and at its end, and the items it had accepted by then.
	 */
	record HeapRound(double firstMegabytes, double lastMegabytes, long items) {

		double growth() {
			return this.lastMegabytes / this.firstMegabytes - 1;
		}

	}

	final List<HeapRound> heapRounds = new ArrayList<>();

	void run(Path jar, int items, int rounds, Path table, Path logs, List<String> engines) throws Exception {
		// the test kit already sets no initial rebalance delay; asked here too, so it stays so
		KraftBroker builder = KraftBroker.nodes(1).shareGroups().property("group.initial.rebalance.delay.ms", "0");
		EmbeddedKafkaKraftBroker kafka = builder.start();
		this.bootstrap = kafka.getBrokersAsString();
		String brokerSettings = brokerSettings(kafka, builder.properties());
		HttpServer worker = worker();
		List<Baseline> baselines = new ArrayList<>();
		Map<String, List<EngineRound>> byEngine = new LinkedHashMap<>();
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrap))) {
			admin.createTopics(List.of(new NewTopic(BASELINE_TOPIC, SHARE_PARTITIONS, (short) 1))).all().get();
		}
		try {
			// whole rounds, one after another, so that a slow stretch of the machine weighs on one round
			for (int round = 1; round <= rounds; round++) {
				System.out.printf("%n== round %d of %d%n", round, rounds);
				if (PHASES.contains("throughput") || PHASES.contains("latency")) {
					Baseline baseline = baseline(items);
					System.out.printf("baseline: raw Kafka produce+consume %.0f records/s; %s%n",
							baseline.recordsPerSecond(), baseline.warmUp());
					baselines.add(baseline);
					for (String engine : engines) {
						byEngine.computeIfAbsent(engine, (key) -> new ArrayList<>())
							.add(engine(engine, round, jar, items, logs, worker.getAddress().getPort(),
									baseline.recordsPerSecond()));
					}
				}
				if (PHASES.contains("heap")) {
					String engine = engines.getFirst();
					int agentPort = LoopbackPorts.free();
					int workerPort = worker.getAddress().getPort();
					int thisRound = round;
					this.heapRounds.add(phase(engine, round, "heap", jar, logs, (common, api, coordinator) -> heap(jar,
							logs, engine, thisRound, common, agentPort, workerPort, api, coordinator)));
				}
			}
		}
		finally {
			worker.stop(0);
			kafka.destroy();
		}
		List<String> lines = new ArrayList<>();
		lines.add("Each figure: the median of the " + rounds + " rounds, the lowest and highest round in brackets"
				+ " (min–max); p50 and p99 are each a median of the rounds' own p50 and p99.");
		lines.add("");
		if (!baselines.isEmpty()) {
			lines.add("| run | no-op worker, C=" + CONCURRENCY_NOOP + " | " + SLOW_MILLIS + " ms worker, C=" + CONCURRENCY_SLOW
					+ " (target ≥ " + (int) (0.9 * CONCURRENCY_SLOW * 1000 / SLOW_MILLIS) + "/s) | submit → call at "
					+ RATE + "/s, C=" + CONCURRENCY_LATENCY + ", " + IN_FLIGHT + " submissions in flight: p50 / p99 (target p99 < 25 ms) | no-op vs baseline |");
			lines.add("|---|---|---|---|---|");
			lines.add(String.format(
					"| baseline: raw Kafka produce (acks=all) + consume, same broker, %d partitions (%s) | %s records/s | – | – | – |",
					SHARE_PARTITIONS, warmUps(baselines.stream().map(Baseline::warmUp).toList()),
					spread(baselines, Baseline::recordsPerSecond, "%,.0f")));
			byEngine.forEach((engine, results) -> lines.add(String.format(
					"| %s engine (1 coordinator, 1 agent, %d partitions) | %s items/s | %s items/s | %s / %s ms (%s/s achieved, lowest round%s) | %s |",
					engine, partitions(engine), spread(results, EngineRound::noop, "%,.0f"),
					spread(results, EngineRound::slow, "%,.0f"), spread(results, EngineRound::p50, "%,.0f"),
					spread(results, EngineRound::p99, "%,.0f"),
					results.stream().mapToLong(EngineRound::achieved).min().orElse(0),
					results.stream().mapToLong(EngineRound::neverCalled).sum() == 0 ? ""
							: "; items never called within 30 s of the run's end, per round: " + results.stream()
								.map((r) -> Long.toString(r.neverCalled())).collect(Collectors.joining(", ")),
					spread(results, (r) -> r.noop() / r.baseline(), "%.2f×"))));
		}
		if (!this.heapRounds.isEmpty()) {
			lines.add("");
			lines.add(String.format(Locale.ROOT,
					"Coordinator heap at the default status retention (7 days), %s engine, single POSTs at %d/s for %d"
							+ " minutes: live heap after a full collection (jcmd GC.run, then the JVM's heap in use)"
							+ " %s MB after the first minute, %s MB at the end (%s items accepted); growth %s (target:"
							+ " within 10 %%).",
					engines.getFirst(), RATE, HEAP_RUN.toMinutes(),
					spread(this.heapRounds, HeapRound::firstMegabytes, "%,.1f"),
					spread(this.heapRounds, HeapRound::lastMegabytes, "%,.1f"),
					spread(this.heapRounds, HeapRound::items, "%,.0f"),
					spread(this.heapRounds, (h) -> 100 * h.growth(), "%+.1f %%")));
		}
		if (!this.drains.isEmpty()) {
			lines.add("");
			lines.add("Before each latency run, the warm-up's backlog drained in (s, per engine and round; -1: not within "
					+ DRAIN_LIMIT.toMinutes() + " minutes, measured behind it): " + String.join(", ", this.drains) + ".");
		}
		lines.add("");
		lines.add("Phases run (BENCH_PHASES): " + String.join(", ", PHASES) + ".");
		lines.add("");
		lines.add("CPU time per item in the measured runs (whatever else runs on the machine does not count), median of"
				+ " the rounds (min–max):");
		lines.add("");
		this.cpu.stream().collect(Collectors.groupingBy((c) -> c.engine() + ", " + c.phase(), LinkedHashMap::new,
				Collectors.toList())).forEach((name, phases) -> lines.add("- " + name + ": " + cpuLine(phases)));
		lines.add("");
		lines.add("The peers and processes, and every setting of theirs that is not at its default:");
		lines.add("");
		lines.add("- **Kafka**: " + brokerSettings + ".");
		lines.add("- **Coordinator and agent**: a fresh process of each per phase, the work-coordinator jar on this JDK"
				+ " with " + String.join(" ", jvmOptions()) + "; OUTRIGGER_WORK_TOPICS_PARTITIONS=" + SHARE_PARTITIONS
				+ " (share) or " + CONCURRENCY_NOOP + " (classic), the agent's OUTRIGGER_WORK_ENGINE and"
				+ " OUTRIGGER_WORK_CONCURRENCY as in the table (" + CONCURRENCY_LATENCY + ", its default, in the"
				+ " latency and heap phases), and the phase's own bootstrap servers, topic prefix, group, queue ("
				+ QUEUE + ") and ports; nothing else.");
		lines.add("- **Worker**: the JDK's HttpServer in the bench process, on virtual threads, backlog 1024; it answers"
				+ " 200 `{\"ok\":true}` at once (no-op) or after " + SLOW_MILLIS + " ms.");
		Files.write(table, lines);
		lines.forEach(System.out::println);
		System.exit(0);
	}

	static final String BASELINE_TOPIC = "bench-baseline";

	/** "5,872 (4,857–6,079)": the median of the rounds, then the lowest and highest. */
	static <T> String spread(List<T> rounds, ToDoubleFunction<T> figure, String format) {
		double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
		double median = (values.length % 2 == 1) ? values[values.length / 2]
				: (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
		return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median, values[0],
				values[values.length - 1]);
	}

	static String warmUps(List<WarmUp> warmUps) {
		long unsettled = warmUps.stream().filter((w) -> !w.settled()).count();
		return "warm-ups of " + warmUps.stream().map((w) -> Long.toString(w.seconds())).collect(Collectors.joining(", "))
				+ " s, " + ((unsettled == 0) ? "JIT settled in every round"
						: "JIT still compiling at the end of " + unsettled + " of them");
	}

	static String cpuLine(List<PhaseCpu> phases) {
		StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
				"agent %s µs, coordinator %s µs, broker+worker+load generator %s µs",
				spread(phases, (p) -> p.perItem().agent(), "%.0f"),
				spread(phases, (p) -> p.perItem().coordinator(), "%.0f"),
				spread(phases, (p) -> p.perItem().bench(), "%.0f")));
		if (phases.getFirst().workerMillis() >= 0) {
			line.append("; the worker's own time per call ").append(spread(phases, PhaseCpu::workerMillis, "%.2f"))
				.append(" ms");
		}
		return line.append("; ").append(warmUps(phases.stream().map(PhaseCpu::warmUp).toList())).toString();
	}

	/** The broker, the bench JVM it runs in, and its settings, as the results print them. */
	static String brokerSettings(EmbeddedKafkaKraftBroker broker, Map<String, String> asked) {
		return "one embedded KRaft node (broker and controller, spring-kafka-test's `EmbeddedKafkaKraftBroker`,"
				+ " Kafka " + AppInfoParser.getVersion() + ") in the bench process, whose JVM runs with "
				// the source launcher's own --add-modules is no setting of the broker's
				+ ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
					.filter((argument) -> !argument.startsWith("--add-modules")).collect(Collectors.joining(" "))
				+ "; " + KraftBroker.describeSettings(broker, asked);
	}

	/**
	 * Partitions of an engine's topics, as its README advises: few for share groups; for the classic
	 * engine, whose consumers (one per concurrency turn) each take whole partitions, a multiple of
	 * every concurrency the bench runs it at, so each consumer gets an equal share.
	 */
	static int partitions(String engine) {
		return "classic".equals(engine) ? CONCURRENCY_NOOP : SHARE_PARTITIONS;
	}

	EngineRound engine(String engine, int round, Path jar, int items, Path logs, int workerPort, double baseline)
			throws Exception {
		int agentPort = LoopbackPorts.free();
		double noop = Double.NaN;
		double slow = Double.NaN;
		if (PHASES.contains("throughput")) {
			this.workerDelayMillis = 0;
			noop = phase(engine, round, "noop", jar, logs, (common, api, coordinator) -> throughput(jar, logs, engine,
					round, common, agentPort, workerPort, api, QUEUE, items, CONCURRENCY_NOOP, "noop", coordinator));
			this.workerDelayMillis = SLOW_MILLIS;
			int slowItems = Math.min(items, CONCURRENCY_SLOW * 1000 / SLOW_MILLIS * 10);
			slow = phase(engine, round, "slow", jar, logs, (common, api, coordinator) -> throughput(jar, logs, engine,
					round, common, agentPort, workerPort, api, QUEUE, slowItems, CONCURRENCY_SLOW, "slow", coordinator));
		}
		this.workerDelayMillis = 0;
		long[] latency = { -1, -1, -1, 0 };
		if (PHASES.contains("latency")) {
			latency = phase(engine, round, "latency", jar, logs, (common, api, coordinator) -> latency(jar, logs, engine,
					round, common, agentPort, workerPort, api, QUEUE, coordinator));
		}
		System.out.printf(
				"%s: no-op %.0f items/s, %d ms worker %.0f items/s, latency p50 %d ms p99 %d ms at %d/s, %d items never called%n",
				engine, noop, SLOW_MILLIS, slow, latency[0], latency[1], latency[2], latency[3]);
		return new EngineRound(noop, slow, latency[0], latency[1], latency[2], latency[3], baseline);
	}

	/**
	 * Runs one phase with its own topics and a fresh coordinator, so that the items of a phase's
	 * warm-up (hundreds of thousands) do not weigh on the next phase's status views. Every setting
	 * not named here is at its default (the status retention: 7 days).
	 */
	<T> T phase(String engine, int round, String phase, Path jar, Path logs, Phase<T> run) throws Exception {
		String name = "bench-r" + round + "-" + engine + "-" + phase;
		Map<String, String> common = new HashMap<>();
		common.putAll(Map.of("OUTRIGGER_WORK_KAFKA_BOOTSTRAP_SERVERS", this.bootstrap, "OUTRIGGER_WORK_TOPICS_PREFIX",
				name + ".", "OUTRIGGER_WORK_GROUP", name, "OUTRIGGER_WORK_TOPICS_PARTITIONS",
				Integer.toString(partitions(engine)), "OUTRIGGER_WORK_QUEUES", QUEUE));
		int coordinatorPort = LoopbackPorts.free();
		Process coordinator = launch(jar, logs.resolve("r" + round + "-" + engine + "-coordinator-" + phase + ".log"),
				common,
				Map.of("OUTRIGGER_WORK_MODE", "coordinator", "OUTRIGGER_HTTP_PORT", Integer.toString(coordinatorPort)));
		try {
			URI api = URI.create("http://127.0.0.1:" + coordinatorPort);
			awaitReady(api);
			return run.run(common, api, coordinator);
		}
		finally {
			stop(coordinator);
		}
	}

	/** What a phase does with its coordinator. */
	interface Phase<T> {

		T run(Map<String, String> common, URI api, Process coordinator) throws Exception;

	}

	double throughput(Path jar, Path logs, String engine, int round, Map<String, String> common, int agentPort,
			int workerPort, URI api, String queue, int items, int concurrency, String phase, Process coordinator)
			throws Exception {
		Process agent = launchAgent(jar, logs, engine, round, phase, common, agentPort, workerPort, concurrency);
		try {
			URI agentApi = URI.create("http://127.0.0.1:" + agentPort);
			awaitReady(agentApi);
			// warm-up, not measured: each phase starts a fresh agent JVM
			WarmUp warmUp = warmUp(() -> {
				long started = System.nanoTime();
				drain(api, queue, items / 4);
				long due = started + TimeUnit.SECONDS.toNanos(items / 4) / WARM_UP_RATE;
				TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
			}, agentApi, api);
			CpuShares before = CpuShares.of(agent, coordinator);
			this.workerNanos.reset();
			this.workerCalls.reset();
			long start = System.nanoTime();
			drain(api, queue, items);
			double seconds = (System.nanoTime() - start) / 1e9;
			// a 10 ms worker takes somewhat longer on busy cores: the agent can do no better than this
			PhaseCpu cpu = new PhaseCpu(engine, phase, before.perItem(items),
					this.workerNanos.sum() / 1e6 / Math.max(1, this.workerCalls.sum()), warmUp);
			System.out.printf("  %s %s: %d items submitted and SUCCEEDED in %.2f s; CPU per item: %s%n", engine, phase,
					items, seconds, cpu);
			this.cpu.add(cpu);
			return items / seconds;
		}
		finally {
			stop(agent);
		}
	}

	/** Submits {@code items} (faster than an agent runs them) and waits until all SUCCEEDED. */
	void drain(URI api, String queue, int items) throws Exception {
		long before = succeeded(api, queue);
		submitBatches(api, queue, items);
		while (succeeded(api, queue) - before < items) {
			Thread.sleep(20);
		}
	}

	long[] latency(Path jar, Path logs, String engine, int round, Map<String, String> common, int agentPort,
			int workerPort, URI api, String queue, Process coordinator) throws Exception {
		Process agent = launchAgent(jar, logs, engine, round, "latency", common, agentPort, workerPort,
				CONCURRENCY_LATENCY);
		this.received.clear();
		try {
			URI agentApi = URI.create("http://127.0.0.1:" + agentPort);
			awaitReady(agentApi);
			// warm-up at the same rate, then the measured run
			AtomicLong warmUpRuns = new AtomicLong();
			AtomicLong warmUpItems = new AtomicLong();
			WarmUp warmUp = warmUp(() -> warmUpItems.addAndGet(
					rate(api, queue, WARM_UP_STEP, (1 + warmUpRuns.getAndIncrement()) * 1_000_000_000L).size()),
					agentApi, api);
			// the measured run starts from an empty queue: a backlog left by the warm-up would put every
			// measured item behind it; how long it took to drain is reported
			this.drains.add(engine + " " + drain(api, queue, warmUpItems.get()));
			CpuShares cpu = CpuShares.of(agent, coordinator);
			Map<Long, Long> sent = rate(api, queue, RATE_RUN, 0);
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!this.received.keySet().containsAll(sent.keySet()) && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			this.cpu.add(new PhaseCpu(engine, "single-item submissions at " + RATE + "/s", cpu.perItem(sent.size()), -1,
					warmUp));
			// an item never called counts as the slowest of all, and how many there were is reported
			long missing = sent.keySet().stream().filter((seq) -> !this.received.containsKey(seq)).count();
			long[] millis = sent.entrySet()
				.stream()
				.mapToLong((entry) -> TimeUnit.NANOSECONDS
					.toMillis(this.received.getOrDefault(entry.getKey(), Long.MAX_VALUE / 2) - entry.getValue()))
				.sorted()
				.toArray();
			return new long[] { millis[millis.length / 2], millis[(int) (millis.length * 0.99)],
					Math.round(this.achievedRate), missing };
		}
		finally {
			stop(agent);
		}
	}

	/**
	 * Single items at {@link #RATE}/s for {@link #HEAP_RUN} to a coordinator at the default retention,
	 * with an agent running them; the coordinator's live heap after the first minute and at the end.
	 */
	HeapRound heap(Path jar, Path logs, String engine, int round, Map<String, String> common, int agentPort,
			int workerPort, URI api, Process coordinator) throws Exception {
		Process agent = launchAgent(jar, logs, engine, round, "heap", common, agentPort, workerPort,
				CONCURRENCY_LATENCY);
		try {
			awaitReady(URI.create("http://127.0.0.1:" + agentPort));
			AtomicBoolean loading = new AtomicBoolean(true);
			AtomicLong accepted = new AtomicLong();
			long start = System.nanoTime();
			Thread load = Thread.ofPlatform().name("heap-load").start(() -> steadyLoad(api, loading, accepted));
			try {
				TimeUnit.NANOSECONDS.sleep(start + HEAP_FIRST_READING.toNanos() - System.nanoTime());
				double first = liveHeapMegabytes(coordinator, api);
				TimeUnit.NANOSECONDS.sleep(start + HEAP_RUN.toNanos() - System.nanoTime());
				double last = liveHeapMegabytes(coordinator, api);
				System.out.printf("  heap: %.1f MB after %s, %.1f MB after %s, %d items accepted%n", first,
						HEAP_FIRST_READING, last, HEAP_RUN, accepted.get());
				return new HeapRound(first, last, accepted.get());
			}
			finally {
				loading.set(false);
				load.join();
			}
		}
		finally {
			stop(agent);
		}
	}

	/** Single POSTs due at {@link #RATE}/s (at most {@link #IN_FLIGHT} in flight) while {@code loading}. */
	void steadyLoad(URI api, AtomicBoolean loading, AtomicLong accepted) {
		Semaphore inFlight = new Semaphore(IN_FLIGHT);
		URI items = api.resolve("/queues/" + QUEUE + "/items");
		long start = System.nanoTime();
		try (ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor()) {
			for (long i = 0; loading.get(); i++) {
				long wait = start + i * 1_000_000_000L / RATE - System.nanoTime();
				if (wait > 0) {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
				inFlight.acquire();
				long seq = i;
				submitters.submit(() -> {
					try {
						post(items, "{\"payload\":{\"seq\":" + seq + "}}");
						accepted.incrementAndGet();
					}
					catch (Exception ex) {
						// counted out of accepted
					}
					finally {
						inFlight.release();
					}
				});
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A full collection in {@code process} (jcmd GC.run), then the heap it uses, from its metrics. */
	double liveHeapMegabytes(Process process, URI api) throws Exception {
		Process gc = new ProcessBuilder(System.getProperty("java.home") + "/bin/jcmd", Long.toString(process.pid()),
				"GC.run")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
			throw new IllegalStateException("jcmd " + process.pid() + " GC.run failed");
		}
		String metrics = this.http.execute(new HttpGet(api.resolve("/actuator/prometheus")),
				(response) -> EntityUtils.toString(response.getEntity()));
		Matcher used = HEAP_USED.matcher(metrics);
		double bytes = 0;
		while (used.find()) {
			bytes += Double.parseDouble(used.group(1));
		}
		if (bytes == 0) {
			throw new IllegalStateException(api + " reports no jvm_memory_used_bytes of the heap");
		}
		return bytes / 1e6;
	}

	/** Submits single items at {@link #RATE}/s for {@code run}; returns sequence → send time. */
	Map<Long, Long> rate(URI api, String queue, Duration run, long seqBase) throws Exception {
		Map<Long, Long> sent = new ConcurrentHashMap<>();
		long count = run.toSeconds() * RATE;
		long start = System.nanoTime();
		List<Future<?>> futures = new ArrayList<>();
		// a bounded number of submissions in flight, like a real producer's connection pool; latency
		// counts from when a submission was due, so a coordinator that falls behind shows it
		Semaphore inFlight = new Semaphore(IN_FLIGHT);
		try (ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor()) {
			for (long i = 0; i < count; i++) {
				long due = start + i * 1_000_000_000L / RATE;
				long wait = due - System.nanoTime();
				if (wait > 0) {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
				long seq = seqBase + i;
				sent.put(seq, due);
				inFlight.acquire();
				futures.add(submitters.submit(() -> {
					try {
						return post(api.resolve("/queues/" + queue + "/items"), "{\"payload\":{\"seq\":" + seq + "}}");
					}
					finally {
						inFlight.release();
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		this.achievedRate = count / ((System.nanoTime() - start) / 1e9);
		return sent;
	}

	void submitBatches(URI api, String queue, int items) throws Exception {
		int batch = 500;
		List<Future<?>> futures = new ArrayList<>();
		try (ExecutorService submitters = Executors.newFixedThreadPool(4)) {
			for (int from = 0; from < items; from += batch) {
				int size = Math.min(batch, items - from);
				int first = from;
				futures.add(submitters.submit(() -> {
					StringBuilder body = new StringBuilder("[");
					for (int i = 0; i < size; i++) {
						body.append((i > 0) ? "," : "").append("{\"payload\":{\"n\":").append(first + i).append("}}");
					}
					return post(api.resolve("/queues/" + queue + "/items"), body.append("]").toString());
				}));
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
	}

	String post(URI uri, String body) throws IOException {
		HttpPost request = new HttpPost(uri);
		request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
		return this.http.execute(request, (response) -> {
			String answer = EntityUtils.toString(response.getEntity());
			if (response.getCode() != 202) {
				throw new IllegalStateException("submission refused: " + response.getCode() + " " + answer);
			}
			return answer;
		});
	}

	/**
	 * Waits until {@code items} of {@code queue} SUCCEEDED, at most {@link #DRAIN_LIMIT}.
	 * @return seconds it took, or -1 when the queue did not drain in time
	 */
	long drain(URI api, String queue, long items) throws Exception {
		long start = System.nanoTime();
		long deadline = start + DRAIN_LIMIT.toNanos();
		while (succeeded(api, queue) < items) {
			if (System.nanoTime() > deadline) {
				return -1;
			}
			Thread.sleep(200);
		}
		return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
	}

	long succeeded(URI api, String queue) throws IOException {
		String body = this.http.execute(new HttpGet(api.resolve("/queues/" + queue)),
				(response) -> EntityUtils.toString(response.getEntity()));
		Matcher matcher = SUCCEEDED.matcher(body);
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	/**
	 * The raw ceiling, warmed like every phase (a cold broker would flatter the ratios): batches that
	 * each produce N item-sized records with the coordinator's producer settings and consume them.
	 */
	Baseline baseline(int items) throws Exception {
		String topic = BASELINE_TOPIC;
		WarmUp warmUp = warmUp(() -> baselineBatch(items, topic));
		// one batch takes a fraction of a second: the figure is over several
		long nanos = 0;
		for (int batch = 0; batch < BASELINE_BATCHES; batch++) {
			nanos += baselineBatch(items, topic);
		}
		return new Baseline((double) items * BASELINE_BATCHES / (nanos / 1e9), warmUp);
	}

	record Baseline(double recordsPerSecond, WarmUp warmUp) {
	}

	/** One batch: the time from creating the clients to consuming the last record the batch produced. */
	long baselineBatch(int items, String topic) throws Exception {
		byte[] value = new byte[180];
		Arrays.fill(value, (byte) 'x');
		Map<String, Object> producerSettings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrap,
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
				ProducerConfig.LINGER_MS_CONFIG, 1);
		Map<String, Object> consumerSettings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrap);
		long start = System.nanoTime();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerSettings, new StringSerializer(),
				new ByteArraySerializer());
				KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerSettings,
						new StringDeserializer(), new ByteArrayDeserializer())) {
			// the topic is reused batch after batch: this batch reads from where the log ends now
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((partition) -> new TopicPartition(topic, partition.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.endOffsets(partitions).forEach(consumer::seek);
			for (int i = 0; i < items; i++) {
				producer.send(new ProducerRecord<>(topic, Integer.toString(i), value));
			}
			producer.flush();
			int consumed = 0;
			while (consumed < items) {
				consumed += consumer.poll(Duration.ofMillis(100)).count();
			}
		}
		return System.nanoTime() - start;
	}

	HttpServer worker() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		Pattern seq = Pattern.compile("\"seq\":(\\d+)");
		server.createContext("/work", (exchange) -> {
			long at = System.nanoTime();
			try (exchange; InputStream in = exchange.getRequestBody()) {
				String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				Matcher matcher = seq.matcher(body);
				if (matcher.find()) {
					this.received.putIfAbsent(Long.parseLong(matcher.group(1)), at);
				}
				int delay = this.workerDelayMillis;
				if (delay > 0) {
					Thread.sleep(delay);
				}
				byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, answer.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(answer);
				}
				this.workerNanos.add(System.nanoTime() - at);
				this.workerCalls.increment();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		server.start();
		return server;
	}

	/** An agent of {@code engine} for one phase, calling the worker in this process. */
	Process launchAgent(Path jar, Path logs, String engine, int round, String phase, Map<String, String> common,
			int agentPort, int workerPort, int concurrency) throws IOException {
		return launch(jar, logs.resolve("r" + round + "-" + engine + "-agent-" + phase + ".log"), common,
				Map.of("OUTRIGGER_WORK_MODE", "agent", "OUTRIGGER_HTTP_PORT", Integer.toString(agentPort),
						"OUTRIGGER_WORK_ENGINE", engine, "OUTRIGGER_WORK_CONCURRENCY", Integer.toString(concurrency),
						"OUTRIGGER_WORK_WORKER_URL", "http://127.0.0.1:" + workerPort + "/work"));
	}

	Process launch(Path jar, Path log, Map<String, String> common, Map<String, String> env) throws IOException {
		List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java"));
		command.addAll(jvmOptions());
		command.addAll(List.of("-jar", jar.toString()));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().putAll(common);
		builder.environment().putAll(env);
		builder.redirectErrorStream(true).redirectOutput(log.toFile());
		return builder.start();
	}

	/** The coordinator's and agent's JVM options, with BENCH_JVM_OPTS's. */
	static List<String> jvmOptions() {
		List<String> options = new ArrayList<>(PROCESS_JVM);
		// e.g. BENCH_JVM_OPTS='-XX:StartFlightRecording=filename=/tmp/jfr/%p.jfr' to profile a run
		String extra = System.getenv("BENCH_JVM_OPTS");
		if (extra != null && !extra.isBlank()) {
			options.addAll(List.of(extra.strip().split("\\s+")));
		}
		return options;
	}

	/** How long a warm-up took, and whether the compilers had settled by then. */
	record WarmUp(long seconds, boolean settled) {

		@Override
		public String toString() {
			return (this.settled ? "JIT settled after a " : "JIT still compiling after a ") + this.seconds
					+ " s warm-up";
		}

	}

	/** One measured run's CPU per item; the worker's own time per call, or -1 where not measured. */
	record PhaseCpu(String engine, String phase, PerItem perItem, double workerMillis, WarmUp warmUp) {

		@Override
		public String toString() {
			return this.perItem + ((this.workerMillis >= 0)
					? String.format(Locale.ROOT, "; the worker's own time per call %.2f ms", this.workerMillis) : "")
					+ "; " + this.warmUp;
		}

	}

	/** Microseconds of CPU per item. */
	record PerItem(double agent, double coordinator, double bench) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "agent %.0f µs, coordinator %.0f µs, broker+worker+load generator %.0f µs",
					this.agent, this.coordinator, this.bench);
		}

	}

	/**
	 * Runs {@code load} over and over for at least {@link #WARM_UP}, then until no JVM — those
	 * behind {@code apis}, and this one with the broker — spent more than {@link #SETTLED_COMPILE_SHARE} of
	 * the last {@link #WARM_UP_STEP} compiling, or {@link #WARM_UP_LIMIT} has passed.
	 * @return how long it took, for the table
	 */
	WarmUp warmUp(Load load, URI... apis) throws Exception {
		long start = System.nanoTime();
		long stepStart = start;
		double[] compiled = compilationMillis(apis);
		while (true) {
			load.run();
			long now = System.nanoTime();
			if (now - stepStart < WARM_UP_STEP.toNanos()) {
				continue;
			}
			double[] current = compilationMillis(apis);
			double stepMillis = (now - stepStart) / 1e6;
			boolean settled = true;
			for (int i = 0; i < current.length; i++) {
				settled &= current[i] - compiled[i] < SETTLED_COMPILE_SHARE * stepMillis;
			}
			compiled = current;
			stepStart = now;
			long seconds = TimeUnit.NANOSECONDS.toSeconds(now - start);
			if (settled && seconds >= WARM_UP.toSeconds()) {
				return new WarmUp(seconds, true);
			}
			if (seconds >= WARM_UP_LIMIT.toSeconds()) {
				return new WarmUp(seconds, false);
			}
		}
	}

	/** Elapsed compile time so far of the JVMs behind {@code apis}, and of this one (the broker's). */
	double[] compilationMillis(URI... apis) throws IOException {
		double[] millis = new double[apis.length + 1];
		for (int i = 0; i < apis.length; i++) {
			millis[i] = compilationMillis(apis[i]);
		}
		millis[apis.length] = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
		return millis;
	}

	double compilationMillis(URI api) throws IOException {
		String metrics = this.http.execute(new HttpGet(api.resolve("/actuator/prometheus")),
				(response) -> EntityUtils.toString(response.getEntity()));
		Matcher matcher = COMPILATION_MILLIS.matcher(metrics);
		if (!matcher.find()) {
			throw new IllegalStateException(api + " reports no jvm_compilation_time_ms_total");
		}
		return Double.parseDouble(matcher.group(1));
	}

	/** One turn of warm-up load. */
	interface Load {

		void run() throws Exception;

	}

	void awaitReady(URI base) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if (this.http.execute(new HttpGet(base.resolve("/readyz")), (response) -> response.getCode()) == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException(base + " did not get ready within 60 s");
	}

	/** The CPU time the agent, the coordinator and this process had used at some moment. */
	record CpuShares(Process agent, Process coordinator, long agentNanos, long coordinatorNanos, long benchNanos) {

		static CpuShares of(Process agent, Process coordinator) {
			return new CpuShares(agent, coordinator, cpuNanos(agent), cpuNanos(coordinator), cpuNanos(null));
		}

		/** What each process has spent since, per item. */
		PerItem perItem(int items) {
			return new PerItem((cpuNanos(this.agent) - this.agentNanos) / 1e3 / items,
					(cpuNanos(this.coordinator) - this.coordinatorNanos) / 1e3 / items,
					(cpuNanos(null) - this.benchNanos) / 1e3 / items);
		}

	}

	/** CPU time used so far by {@code process}, or by this one when null (the broker, the worker, the load). */
	static long cpuNanos(Process process) {
		ProcessHandle handle = (process != null) ? process.toHandle() : ProcessHandle.current();
		return handle.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
	}

	static void stop(Process process) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
		}
	}

}
