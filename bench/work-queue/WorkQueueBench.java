import java.io.File;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
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
 * once the JIT compilers have settled.
 *   java -cp <test classpath> WorkQueueBench.java <jar> <items> <table.md> <logs> <engines>
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

	/**
	 * How long the latency phase keeps finished statuses, as the coordinator's README advises an
	 * operator at this rate: every view keeps each finished item that long, so with the default 7
	 * days the coordinator's heap grows by about 0.8 MB/s at 1,000 items/s and its collections
	 * lengthen until the agent falls behind. A minute keeps 60,000 items, and the views reach their
	 * steady state (as many items forgotten as finished) during the warm-up.
	 */
	static final String LATENCY_RETENTION = "1m";

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

	static final int BASELINE_ROUNDS = 10;

	/**
	 * The most items/s a throughput phase's warm-up submits: at full speed, the minutes a JIT takes
	 * to settle would leave a million finished items in the coordinator's status view.
	 */
	static final int WARM_UP_RATE = 1000;

	static final Pattern SUCCEEDED = Pattern.compile("\"SUCCEEDED\":(\\d+)");

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

	/** Per throughput run, the CPU each process spent per item: not skewed by whatever else shares the cores. */
	final List<String> cpuLines = new ArrayList<>();

	volatile int workerDelayMillis;

	volatile double achievedRate;

	String bootstrap;

	public static void main(String[] args) throws Exception {
		((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(ch.qos.logback.classic.Level.WARN);
		new WorkQueueBench().run(Path.of(args[0]), Integer.parseInt(args[1]), Path.of(args[2]), Path.of(args[3]),
				List.of(args[4].split(",")));
	}

	void run(Path jar, int items, Path table, Path logs, List<String> engines) throws Exception {
		EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
		kafka.brokerProperties(Map.of("group.initial.rebalance.delay.ms", "0", "offsets.topic.replication.factor",
				"1", "share.coordinator.state.topic.replication.factor", "1", "share.coordinator.state.topic.min.isr",
				"1", "transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));
		kafka.afterPropertiesSet();
		this.bootstrap = kafka.getBrokersAsString();
		HttpServer worker = worker();
		List<String> rows = new ArrayList<>();
		try {
			Baseline baseline = baseline(items);
			System.out.printf("baseline: raw Kafka produce+consume %.0f records/s; %s%n", baseline.recordsPerSecond(),
					baseline.warmUp());
			rows.add(String.format(
					"| baseline: raw Kafka produce (acks=all) + consume, same broker, %d partitions (%s) | %.0f records/s | – | – | – |",
					SHARE_PARTITIONS, baseline.warmUp(), baseline.recordsPerSecond()));
			for (String engine : engines) {
				rows.add(engine(engine, jar, items, logs, worker.getAddress().getPort(), baseline.recordsPerSecond()));
			}
		}
		finally {
			worker.stop(0);
			kafka.destroy();
		}
		List<String> lines = new ArrayList<>();
		lines.add("| run | no-op worker, C=" + CONCURRENCY_NOOP + " | " + SLOW_MILLIS + " ms worker, C=" + CONCURRENCY_SLOW
				+ " (target ≥ " + (int) (0.9 * CONCURRENCY_SLOW * 1000 / SLOW_MILLIS) + "/s) | submit → call at "
				+ RATE + "/s, C=" + CONCURRENCY_LATENCY + ", " + IN_FLIGHT + " submissions in flight: p50 / p99 (target p99 < 50 ms) | no-op vs baseline |");
		lines.add("|---|---|---|---|---|");
		lines.addAll(rows);
		lines.add("");
		lines.add("CPU time per item in the measured runs (whatever else runs on the machine does not count):");
		lines.add("");
		lines.addAll(this.cpuLines);
		Files.write(table, lines);
		lines.forEach(System.out::println);
		System.exit(0);
	}

	/**
	 * Partitions of an engine's topics, as its README advises: few for share groups; for the classic
	 * engine, whose consumers (one per concurrency turn) each take whole partitions, a multiple of
	 * every concurrency the bench runs it at, so each consumer gets an equal share.
	 */
	static int partitions(String engine) {
		return "classic".equals(engine) ? CONCURRENCY_NOOP : SHARE_PARTITIONS;
	}

	String engine(String engine, Path jar, int items, Path logs, int workerPort, double baseline) throws Exception {
		int agentPort = freePort();
		this.workerDelayMillis = 0;
		double noop = phase(engine, "noop", jar, logs, Map.of(), (common, api, coordinator) -> throughput(jar, logs,
				engine, common, agentPort, workerPort, api, QUEUE, items, CONCURRENCY_NOOP, "noop", coordinator));
		this.workerDelayMillis = SLOW_MILLIS;
		int slowItems = Math.min(items, CONCURRENCY_SLOW * 1000 / SLOW_MILLIS * 10);
		double slow = phase(engine, "slow", jar, logs, Map.of(), (common, api, coordinator) -> throughput(jar, logs,
				engine, common, agentPort, workerPort, api, QUEUE, slowItems, CONCURRENCY_SLOW, "slow", coordinator));
		this.workerDelayMillis = 0;
		long[] latency = phase(engine, "latency", jar, logs,
				Map.of("OUTRIGGER_WORK_STATUS_RETENTION", LATENCY_RETENTION), (common, api, coordinator) -> latency(jar,
						logs, engine, common, agentPort, workerPort, api, QUEUE, coordinator));
		System.out.printf("%s: no-op %.0f items/s, %d ms worker %.0f items/s, latency p50 %d ms p99 %d ms at %d/s%n",
				engine, noop, SLOW_MILLIS, slow, latency[0], latency[1], latency[2]);
		return String.format(
				"| %s engine (1 coordinator, 1 agent, %d partitions) | %.0f items/s | %.0f items/s | %d / %d ms (%d/s achieved) | %.2f× |",
				engine, partitions(engine), noop, slow, latency[0], latency[1], latency[2], noop / baseline);
	}

	/**
	 * Runs one phase with its own topics and a fresh coordinator, so that the items of a phase's
	 * warm-up (hundreds of thousands) do not weigh on the next phase's status views.
	 * @param settings the phase's own variables, for its coordinator and agent
	 */
	<T> T phase(String engine, String phase, Path jar, Path logs, Map<String, String> settings, Phase<T> run)
			throws Exception {
		String name = "bench-" + engine + "-" + phase;
		Map<String, String> common = new HashMap<>(settings);
		common.putAll(Map.of("OUTRIGGER_WORK_KAFKA_BOOTSTRAP_SERVERS", this.bootstrap, "OUTRIGGER_WORK_TOPICS_PREFIX",
				name + ".", "OUTRIGGER_WORK_GROUP", name, "OUTRIGGER_WORK_TOPICS_PARTITIONS",
				Integer.toString(partitions(engine)), "OUTRIGGER_WORK_QUEUES", QUEUE));
		int coordinatorPort = freePort();
		Process coordinator = launch(jar, logs.resolve(engine + "-coordinator-" + phase + ".log"), common,
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

	double throughput(Path jar, Path logs, String engine, Map<String, String> common, int agentPort, int workerPort,
			URI api, String queue, int items, int concurrency, String phase, Process coordinator) throws Exception {
		Process agent = launchAgent(jar, logs, engine, phase, common, agentPort, workerPort, concurrency);
		try {
			URI agentApi = URI.create("http://127.0.0.1:" + agentPort);
			awaitReady(agentApi);
			// warm-up, not measured: each phase starts a fresh agent JVM
			String warmUp = warmUp(() -> {
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
			String cpu = before.perItem(items) + String.format("; the worker's own time per call %.2f ms",
					this.workerNanos.sum() / 1e6 / Math.max(1, this.workerCalls.sum())) + "; " + warmUp;
			System.out.printf("  %s %s: %d items submitted and SUCCEEDED in %.2f s; CPU per item: %s%n", engine, phase,
					items, seconds, cpu);
			this.cpuLines.add("- " + engine + ", " + phase + ": " + cpu);
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

	long[] latency(Path jar, Path logs, String engine, Map<String, String> common, int agentPort, int workerPort,
			URI api, String queue, Process coordinator) throws Exception {
		Process agent = launchAgent(jar, logs, engine, "latency", common, agentPort, workerPort,
				CONCURRENCY_LATENCY);
		this.received.clear();
		try {
			URI agentApi = URI.create("http://127.0.0.1:" + agentPort);
			awaitReady(agentApi);
			// warm-up at the same rate, then the measured run
			AtomicLong warmUpRuns = new AtomicLong();
			String warmUp = warmUp(() -> rate(api, queue, WARM_UP_STEP, (1 + warmUpRuns.getAndIncrement()) * 1_000_000_000L),
					agentApi, api);
			CpuShares cpu = CpuShares.of(agent, coordinator);
			Map<Long, Long> sent = rate(api, queue, RATE_RUN, 0);
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!this.received.keySet().containsAll(sent.keySet()) && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			this.cpuLines.add("- " + engine + ", single-item submissions at " + RATE + "/s: " + cpu.perItem(sent.size())
					+ "; " + warmUp);
			long[] millis = sent.entrySet()
				.stream()
				.mapToLong((entry) -> TimeUnit.NANOSECONDS
					.toMillis(this.received.getOrDefault(entry.getKey(), Long.MAX_VALUE / 2) - entry.getValue()))
				.sorted()
				.toArray();
			return new long[] { millis[millis.length / 2], millis[(int) (millis.length * 0.99)],
					Math.round(this.achievedRate) };
		}
		finally {
			stop(agent);
		}
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

	long succeeded(URI api, String queue) throws IOException {
		String body = this.http.execute(new HttpGet(api.resolve("/queues/" + queue)),
				(response) -> EntityUtils.toString(response.getEntity()));
		Matcher matcher = SUCCEEDED.matcher(body);
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	/**
	 * The raw ceiling, warmed like every phase (a cold broker would flatter the ratios): rounds that
	 * each produce N item-sized records with the coordinator's producer settings and consume them.
	 */
	Baseline baseline(int items) throws Exception {
		String topic = "bench-baseline";
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrap))) {
			admin.createTopics(List.of(new NewTopic(topic, SHARE_PARTITIONS, (short) 1))).all().get();
		}
		String warmUp = warmUp(() -> baselineRound(items, topic));
		// one round takes a fraction of a second: the figure is over several
		long nanos = 0;
		for (int round = 0; round < BASELINE_ROUNDS; round++) {
			nanos += baselineRound(items, topic);
		}
		return new Baseline((double) items * BASELINE_ROUNDS / (nanos / 1e9), warmUp);
	}

	record Baseline(double recordsPerSecond, String warmUp) {
	}

	/** One round: the time from creating the clients to consuming the last record the round produced. */
	long baselineRound(int items, String topic) throws Exception {
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
			// the topic is reused round after round: this round reads from where the log ends now
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
	Process launchAgent(Path jar, Path logs, String engine, String phase, Map<String, String> common, int agentPort,
			int workerPort, int concurrency) throws IOException {
		return launch(jar, logs.resolve(engine + "-agent-" + phase + ".log"), common,
				Map.of("OUTRIGGER_WORK_MODE", "agent", "OUTRIGGER_HTTP_PORT", Integer.toString(agentPort),
						"OUTRIGGER_WORK_ENGINE", engine, "OUTRIGGER_WORK_CONCURRENCY", Integer.toString(concurrency),
						"OUTRIGGER_WORK_WORKER_URL", "http://127.0.0.1:" + workerPort + "/work"));
	}

	Process launch(Path jar, Path log, Map<String, String> common, Map<String, String> env) throws IOException {
		List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java",
				"-XX:+UseSerialGC", "-Xss512k", "-Xmx768m", "-XX:TieredStopAtLevel=4"));
		// e.g. BENCH_JVM_OPTS='-XX:StartFlightRecording=filename=/tmp/jfr/%p.jfr' to profile a run
		String extra = System.getenv("BENCH_JVM_OPTS");
		if (extra != null && !extra.isBlank()) {
			command.addAll(List.of(extra.strip().split("\\s+")));
		}
		command.addAll(List.of("-jar", jar.toString()));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().putAll(common);
		builder.environment().putAll(env);
		builder.redirectErrorStream(true).redirectOutput(log.toFile());
		return builder.start();
	}

	/**
	 * Runs {@code load} over and over for at least {@link #WARM_UP}, then until no JVM — those
	 * behind {@code apis}, and this one with the broker — spent more than {@link #SETTLED_COMPILE_SHARE} of
	 * the last {@link #WARM_UP_STEP} compiling, or {@link #WARM_UP_LIMIT} has passed.
	 * @return how long it took, for the table
	 */
	String warmUp(Load load, URI... apis) throws Exception {
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
				return "JIT settled after a " + seconds + " s warm-up";
			}
			if (seconds >= WARM_UP_LIMIT.toSeconds()) {
				return "JIT still compiling after a " + seconds + " s warm-up";
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

	/** One round of warm-up load. */
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

	static int freePort() throws IOException {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** The CPU time the agent, the coordinator and this process had used at some moment. */
	record CpuShares(Process agent, Process coordinator, long agentNanos, long coordinatorNanos, long benchNanos) {

		static CpuShares of(Process agent, Process coordinator) {
			return new CpuShares(agent, coordinator, cpuNanos(agent), cpuNanos(coordinator), cpuNanos(null));
		}

		/** What each process has spent since, per item. */
		String perItem(int items) {
			return String.format("agent %.0f µs, coordinator %.0f µs, broker+worker+load generator %.0f µs",
					(cpuNanos(this.agent) - this.agentNanos) / 1e3 / items,
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
