package dev.outrigger.scatter.gather;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.outrigger.scatter.Hedging;
import dev.outrigger.scatter.LeafDirectory;
import dev.outrigger.scatter.RouteProperties;
import dev.outrigger.scatter.Shard;
import dev.outrigger.scatter.discovery.StaticLeaves;
import dev.outrigger.scatter.merge.Merged;
import dev.outrigger.scatter.merge.Merges;
import dev.outrigger.testsupport.http.RecordingReceiver;
import dev.outrigger.testsupport.http.RecordingReceiver.Reply;
import dev.outrigger.testsupport.http.StallingServer;
import dev.outrigger.testsupport.net.LoopbackPorts;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The scatter engine against real HTTP leaves on loopback, scripted to be slow, fail, or
 * hang: the fault cases of anchors/adapter-scatter.md (d).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScatterTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final List<AutoCloseable> closing = new ArrayList<>();

	private LeafBreakers breakers = new LeafBreakers();

	private Scatter scatter;

	@AfterEach
	void close() throws Exception {
		if (this.scatter != null) {
			this.scatter.close();
		}
		for (AutoCloseable resource : this.closing.reversed()) {
			resource.close();
		}
	}

	@Test
	void aStragglerPastTheDeadlineIsReportedTimedOutAndItsCallCancelled() throws Exception {
		RecordingReceiver fast = leaf(Reply.json("[1]"));
		StallingServer straggler = straggler();
		Route route = route("concat", List.of(shard(fast.uri("")), shard(straggler.uri(""))),
				Hedging.parse("off", 5, false), Duration.ofMillis(300), true);
		long started = System.nanoTime();
		ScatterResult result = scatter(route, "GET", "/search");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertThat(json(result)).isEqualTo(mapper.readTree("[1]"));
		ScatterReport report = result.report();
		assertThat(report.total()).isEqualTo(2);
		assertThat(report.successful()).isEqualTo(1);
		assertThat(report.timedOut()).isEqualTo(1);
		assertThat(report.leaves().get(1).result()).isEqualTo("timed_out");
		assertThat(report.leaves().get(1).error()).isEqualTo("no answer before the deadline");
		// the root hangs up at its deadline: well before the HTTP client's own backstop
		straggler.awaitClosed(1, ShardCall.TIMEOUT_GRACE.dividedBy(2));
	}

	@Test
	void withoutPartialResultsAStragglerFailsTheRequest() throws Exception {
		RecordingReceiver fast = leaf(Reply.json("[1]"));
		StallingServer straggler = straggler();
		Route route = route("concat", List.of(shard(fast.uri("")), shard(straggler.uri(""))),
				Hedging.parse("off", 5, false), Duration.ofMillis(200), false);
		assertThatExceptionOfType(ScatterFailedException.class).isThrownBy(() -> scatter(route, "GET", "/search"))
			.satisfies((ex) -> {
				assertThat(ex.status()).isEqualTo(504);
				assertThat(ex.title()).isEqualTo("Partial results not allowed");
				assertThat(ex.report().timedOut()).isEqualTo(1);
			});
	}

	@Test
	void eachFailingLeafIsReportedWithWhyAndTheRestAreMerged() throws Exception {
		RecordingReceiver good = leaf(Reply.json("{\"hits\":[\"g\"]}"));
		RecordingReceiver broken = leaf(Reply.json(500, "{\"error\":\"boom\"}"));
		RecordingReceiver malformed = leaf(Reply.status(200).body("<html>oops</html>"));
		RecordingReceiver wrongShape = leaf(Reply.json("{\"hits\":{\"g\":1}}"));
		RecordingReceiver oversized = leaf(Reply.json("{\"hits\":[\"" + "x".repeat(5000) + "\"]}"));
		RecordingReceiver oversizedInChunks = leaf(Reply.json("{\"hits\":[\"" + "x".repeat(5000) + "\"]}").inChunks());
		URI refused = URI.create("http://127.0.0.1:" + LoopbackPorts.free());
		RouteProperties settings = settings("concat", "/hits");
		Route route = new Route("/",
				new StaticLeaves(List.of(shard(good.uri("")), shard(broken.uri("")), shard(malformed.uri("")),
						shard(wrongShape.uri("")), shard(oversized.uri("")), shard(oversizedInChunks.uri("")),
						shard(refused))),
				Merges.of(settings, mapper), Hedging.parse("off", 5, false), Duration.ofSeconds(5),
				Duration.ofSeconds(30), true, Route.ReportPlacement.AUTO, Set.of("accept"), 1024, false);
		ScatterResult result = scatter(route, "GET", "/search");
		assertThat(json(result).get("hits")).isEqualTo(mapper.readTree("[\"g\"]"));
		ScatterReport report = result.report();
		assertThat(report.total()).isEqualTo(7);
		assertThat(report.successful()).isEqualTo(1);
		assertThat(report.failed()).isEqualTo(6);
		assertThat(report.successful() + report.failed() + report.timedOut() + report.skipped())
			.isEqualTo(report.total());
		List<ScatterReport.Leaf> leaves = report.leaves();
		assertThat(leaves.get(1).status()).isEqualTo(500);
		assertThat(leaves.get(1).error()).isEqualTo("HTTP 500");
		assertThat(leaves.get(2).error()).startsWith("unusable answer: the answer is not JSON");
		assertThat(leaves.get(3).error())
			.isEqualTo("unusable answer: expected a JSON array at \"/hits\", found object");
		assertThat(leaves.get(4).error()).isEqualTo("the answer is larger than 1024 bytes (max-leaf-bytes)");
		assertThat(leaves.get(5).error()).isEqualTo("the answer is larger than 1024 bytes (max-leaf-bytes)");
		assertThat(leaves.get(6).error()).startsWith("connection refused or failed");
	}

	@Test
	void answersBeyondTheRootsBufferBudgetFailAndTheBudgetComesBackWhole() throws Exception {
		String answer = "[\"" + "x".repeat(1200) + "\"]";
		List<Shard> shards = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			shards.add(shard(leaf(Reply.json(answer)).uri("")));
		}
		Route route = new Route("/", new StaticLeaves(shards), Merges.of(settings("concat", null), mapper),
				Hedging.parse("off", 5, false), Duration.ofSeconds(5), Duration.ofSeconds(30), true,
				Route.ReportPlacement.AUTO, Set.of("accept"), 1024 * 1024, false);
		BufferBudget budget = new BufferBudget(3000);
		try (LeafClient client = new LeafClient(Duration.ofSeconds(1))) {
			Scatter small = new Scatter(client, this.breakers, budget, new ScatterMetrics(this.registry));
			ScatterResult result = small.scatter(route, new ScatterRequest("GET", "/search", null, Map.of(), Map.of(),
					new byte[0], System.nanoTime() + route.timeout().toNanos()));
			// two answers fit in 3,000 bytes, the third does not
			assertThat(result.report().successful()).isEqualTo(2);
			assertThat(result.report().leaves()).filteredOn((leaf) -> leaf.error() != null)
				.singleElement()
				.satisfies((leaf) -> assertThat(leaf.error())
					.isEqualTo("the root holds as many leaf answers as it may (OUTRIGGER_SCATTER_MAX_BUFFERED)"));
		}
		assertThat(budget.free()).isEqualTo(3000);
	}

	@Test
	void everyLeafFailingIsAnErrorNotAnEmptyAnswer() {
		RecordingReceiver broken = leaf(Reply.status(503));
		URI refused = URI.create("http://127.0.0.1:" + LoopbackPorts.free());
		Route route = route("concat", List.of(shard(broken.uri("")), shard(refused)), Hedging.parse("off", 5, false),
				Duration.ofSeconds(5), true);
		assertThatExceptionOfType(ScatterFailedException.class).isThrownBy(() -> scatter(route, "GET", "/search"))
			.satisfies((ex) -> {
				assertThat(ex.status()).isEqualTo(502);
				assertThat(ex.title()).isEqualTo("Every leaf failed");
				assertThat(ex.report().failed()).isEqualTo(2);
			});
	}

	@Test
	void aRouteWithNoLeavesSaysSo() {
		Route route = route("concat", List.of(), Hedging.parse("off", 5, false), Duration.ofSeconds(1), true);
		assertThatExceptionOfType(NoLeavesException.class).isThrownBy(() -> scatter(route, "GET", "/search"))
			.withMessageContaining("has no leaves now");
	}

	@Test
	void firstAnswersAtOnceAndCancelsTheOthers() throws Exception {
		RecordingReceiver fast = leaf(Reply.status(200).body("quick").header("Content-Type", "text/plain"));
		StallingServer slow = straggler();
		Route route = route("first", List.of(shard(slow.uri("")), shard(fast.uri(""))), Hedging.parse("off", 5, false),
				Duration.ofSeconds(20), true);
		ScatterResult result = scatter(route, "GET", "/a");
		Merged.Verbatim answer = (Merged.Verbatim) result.merged();
		assertThat(new String(answer.answer().body(), StandardCharsets.UTF_8)).isEqualTo("quick");
		assertThat(answer.answer().contentType()).isEqualTo("text/plain");
		assertThat(result.report().skipped()).isEqualTo(1);
		assertThat(result.report().leaves().getFirst().result()).isEqualTo("skipped");
		slow.awaitClosed(1, ShardCall.TIMEOUT_GRACE.dividedBy(2));
	}

	@Test
	void aBackupGoesToTheOtherReplicaAfterTheDelayTheFirstSuccessWinsAndTheLoserIsCancelled() throws Exception {
		StallingServer stuck = straggler();
		RecordingReceiver healthy = leaf(Reply.json("[\"ok\"]"));
		Duration delay = Duration.ofSeconds(1);
		// replicas take turns being called first: the stuck one in requests 0, 2 and 4
		Route route = route("concat", List.of(new Shard("s", List.of(stuck.uri(""), healthy.uri("")))),
				Hedging.parse("1s", 100, false), Duration.ofSeconds(20), true);
		List<Instant> hedgedStarts = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			Instant started = Instant.now();
			ScatterResult result = scatter(route, "GET", "/a");
			assertThat(json(result)).isEqualTo(mapper.readTree("[\"ok\"]"));
			assertThat(result.report().hedged()).isEqualTo((i % 2 == 0) ? 1 : 0);
			if (result.report().hedged() == 1) {
				hedgedStarts.add(started);
			}
		}
		assertThat(stuck.accepted()).isEqualTo(3);
		stuck.awaitClosed(3, ShardCall.TIMEOUT_GRACE.dividedBy(2));
		List<RecordingReceiver.Request> backups = healthy.requests()
			.stream()
			.filter((request) -> "1".equals(request.header("Outrigger-Hedge")))
			.toList();
		assertThat(backups).hasSize(3);
		assertThat(healthy.requests()).hasSize(6);
		assertThat(this.registry.counter("outrigger.scatter.hedges.sent", "route", "/").count()).isEqualTo(3);
		assertThat(this.registry.counter("outrigger.scatter.hedges.won", "route", "/").count()).isEqualTo(3);
		// every backup went out no sooner than the delay after its request started
		for (int i = 0; i < backups.size(); i++) {
			assertThat(backups.get(i).receivedAt()).isAfterOrEqualTo(hedgedStarts.get(i).plus(delay));
		}
	}

	@Test
	void aRefusedReplicaGetsItsBackupAtOnce() {
		URI refused = URI.create("http://127.0.0.1:" + LoopbackPorts.free());
		RecordingReceiver healthy = leaf(Reply.json("[1]"));
		Route route = route("concat", List.of(new Shard("s", List.of(refused, healthy.uri("")))),
				Hedging.parse("10s", 100, false), Duration.ofSeconds(20), true);
		for (int i = 0; i < 6; i++) {
			long started = System.nanoTime();
			ScatterResult result = scatter(route, "GET", "/a");
			assertThat(result.report().successful()).isEqualTo(1);
			// had it waited for the 10 s hedging delay, this would take 10 s
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		}
	}

	@Test
	void theBudgetHoldsBackupsToItsShareDuringATotalOutage() {
		// breakers that never open, so that every call reaches a leaf and only the budget
		// limits backups
		this.breakers = new LeafBreakers(CircuitBreakerConfig.custom()
			.slidingWindowSize(10_000)
			.minimumNumberOfCalls(10_000)
			.failureRateThreshold(100)
			.build());
		RecordingReceiver down1 = leaf(Reply.status(503));
		RecordingReceiver down2 = leaf(Reply.status(503));
		Route route = route("concat", List.of(new Shard("s", List.of(down1.uri(""), down2.uri("")))),
				Hedging.parse("p95", 5, false), Duration.ofSeconds(5), true);
		int requests = 400;
		for (int i = 0; i < requests; i++) {
			assertThatExceptionOfType(ScatterFailedException.class).isThrownBy(() -> scatter(route, "GET", "/a"));
		}
		int calls = down1.requests().size() + down2.requests().size();
		assertThat(calls - requests).isPositive().isLessThanOrEqualTo((int) (requests * 0.05) + HedgeBudget.BURST);
		assertThat(this.registry.counter("outrigger.scatter.hedge.budget.exhausted", "route", "/").count())
			.isPositive();
	}

	@Test
	void aPostIsNeverHedgedUnlessTheRouteSaysSo() throws Exception {
		StallingServer stuck = straggler();
		Route safe = route("concat", List.of(shard(stuck.uri(""))), Hedging.parse("20ms", 100, false),
				Duration.ofSeconds(1), true);
		assertThatExceptionOfType(ScatterFailedException.class).isThrownBy(() -> scatter(safe, "POST", "/a"));
		stuck.awaitClosed(1, ShardCall.TIMEOUT_GRACE.dividedBy(2));
		assertThat(stuck.accepted()).isEqualTo(1);
		Route bold = route("concat", List.of(shard(stuck.uri(""))), Hedging.parse("20ms", 100, true),
				Duration.ofSeconds(1), true);
		assertThatExceptionOfType(ScatterFailedException.class).isThrownBy(() -> scatter(bold, "POST", "/a"));
		stuck.awaitClosed(3, ShardCall.TIMEOUT_GRACE.dividedBy(2));
		assertThat(stuck.accepted()).isEqualTo(3);
		assertThat(stuck.requestLines()).allMatch((line) -> line.startsWith("POST /a "));
	}

	@Test
	void membershipChangingMidRequestLeavesTheRequestOnTheShardsItStartedWith() throws Exception {
		RecordingReceiver first = leaf(Reply.json("[\"first\"]").after(Duration.ofMillis(300)));
		RecordingReceiver second = leaf(Reply.json("[\"second\"]"));
		AtomicReference<List<Shard>> members = new AtomicReference<>(List.of(shard(first.uri(""))));
		LeafDirectory changing = changing(members);
		Route route = new Route("/", changing, Merges.of(settings("concat", null), mapper),
				Hedging.parse("off", 5, false), Duration.ofSeconds(10), Duration.ofSeconds(30), true,
				Route.ReportPlacement.AUTO, Set.of(), 1 << 20, false);
		Thread swap = Thread.ofVirtual().start(() -> {
			try {
				first.awaitRequests(1, Duration.ofSeconds(10));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			members.set(List.of(shard(second.uri("")), shard(second.uri("/dup"))));
		});
		ScatterResult during = scatter(route, "GET", "/a");
		swap.join();
		assertThat(json(during)).isEqualTo(mapper.readTree("[\"first\"]"));
		assertThat(json(scatter(route, "GET", "/a"))).isEqualTo(mapper.readTree("[\"second\",\"second\"]"));
	}

	@Test
	void whatIsKeptPerLeafIsForgottenOnceNoRouteHasTheLeaf() {
		RecordingReceiver staying = leaf(Reply.json("[1]"));
		RecordingReceiver departing = leaf(Reply.json("[2]"));
		AtomicReference<List<Shard>> members = new AtomicReference<>(
				List.of(shard(staying.uri("")), shard(departing.uri(""))));
		LeafDirectory changing = changing(members);
		Route route = new Route("/", changing, Merges.of(settings("concat", null), mapper),
				Hedging.parse("off", 5, false), Duration.ofSeconds(10), Duration.ofSeconds(30), true,
				Route.ReportPlacement.AUTO, Set.of(), 1 << 20, false);
		scatter(route, "GET", "/a");
		String gone = departing.uri("").toString();
		assertThat(this.breakers.leaves()).contains(gone);
		assertThat(leafMeters(departing)).isNotEmpty();
		members.set(List.of(shard(staying.uri(""))));
		this.scatter.forgetDeparted(List.of(route));
		assertThat(this.breakers.leaves()).containsExactly(staying.uri("").toString());
		assertThat(leafMeters(departing)).isEmpty();
		assertThat(leafMeters(staying)).isNotEmpty();
	}

	private Collection<Meter> leafMeters(RecordingReceiver leaf) {
		return this.registry.find("outrigger.scatter.leaf").tag("shard", Shard.nameOf(leaf.uri(""))).meters();
	}

	@Test
	void theLeavesGetTheMethodPathQueryForwardedHeadersAndBody() {
		RecordingReceiver leaf = leaf(Reply.json("[]"));
		Route route = route("concat", List.of(shard(leaf.uri("/base"))), Hedging.parse("off", 5, false),
				Duration.ofSeconds(5), true);
		ScatterRequest request = new ScatterRequest("PUT", "/docs/1", "q=a%20b&x=1", Map.of(),
				Map.of("Accept", List.of("application/json"), "Authorization", List.of("Bearer t")),
				"{\"doc\":1}".getBytes(StandardCharsets.UTF_8), System.nanoTime() + Duration.ofSeconds(5).toNanos());
		scatterOrFail(route, request);
		RecordingReceiver.Request received = leaf.requests().getFirst();
		assertThat(received.method()).isEqualTo("PUT");
		assertThat(received.path()).isEqualTo("/base/docs/1?q=a%20b&x=1");
		assertThat(received.header("Authorization")).isEqualTo("Bearer t");
		assertThat(received.header("Outrigger-Deadline")).matches("\\d+ms");
		assertThat(received.body()).isEqualTo("{\"doc\":1}");
	}

	@Test
	void aMergesParametersReplaceTheClientsAndEveryOtherParameterStaysAsWritten() {
		RouteProperties topk = new RouteProperties("/", "http://127.0.0.1:1", "topk", "/hits", "/score", "desc", 10,
				null, null, null, Duration.ofSeconds(2), Duration.ofSeconds(30), "p95", 5, false, true, "auto",
				List.of(), DataSize.ofMegabytes(1), false, Duration.ofSeconds(10));
		Route route = new Route("/", new StaticLeaves(List.of()), Merges.of(topk, mapper),
				Hedging.parse("off", 5, false), Duration.ofSeconds(1), Duration.ofSeconds(1), true,
				Route.ReportPlacement.AUTO, Set.of(), 1, false);
		String raw = "debug&q=a%20b&size=5&a=1&odd=%zz&a=2";
		ScatterRequest request = new ScatterRequest("GET", "/", raw,
				Map.of("debug", List.of(""), "q", List.of("a b"), "size", List.of("5"), "a", List.of("1", "2")),
				Map.of(), new byte[0], 0);
		assertThat(Scatter.query(route, request)).isEqualTo("?debug&q=a%20b&a=1&odd=%zz&a=2&from=0&size=5");
	}

	private ScatterResult scatter(Route route, String method, String path) {
		return scatterOrFail(route, new ScatterRequest(method, path, null, Map.of(), Map.of(), new byte[0],
				System.nanoTime() + route.timeout().toNanos()));
	}

	private ScatterResult scatterOrFail(Route route, ScatterRequest request) {
		if (this.scatter == null) {
			this.scatter = new Scatter(new LeafClient(Duration.ofSeconds(1)), this.breakers,
					new BufferBudget(DataSize.ofMegabytes(64).toBytes()), new ScatterMetrics(this.registry));
		}
		try {
			return this.scatter.scatter(route, request);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Route route(String merge, List<Shard> shards, Hedging hedging, Duration timeout, boolean partial) {
		return new Route("/", new StaticLeaves(shards), Merges.of(settings(merge, null), mapper), hedging, timeout,
				Duration.ofSeconds(30), partial, Route.ReportPlacement.AUTO, Set.of("accept", "authorization"), 1 << 20,
				false);
	}

	private static RouteProperties settings(String merge, String path) {
		return new RouteProperties("/", "http://127.0.0.1:1", merge, path, null, "desc", 10, null, null, null,
				Duration.ofSeconds(2), Duration.ofSeconds(30), "p95", 5, false, true, "auto", List.of("Accept"),
				DataSize.ofMegabytes(1), false, Duration.ofSeconds(10));
	}

	/** A directory whose shards are whatever {@code members} holds at the moment. */
	private static LeafDirectory changing(AtomicReference<List<Shard>> members) {
		return new LeafDirectory() {

			@Override
			public List<Shard> shards() {
				return members.get();
			}

			@Override
			public String describe() {
				return "changing";
			}

		};
	}

	private static Shard shard(URI leaf) {
		return Shard.of(leaf);
	}

	private RecordingReceiver leaf(Reply reply) {
		RecordingReceiver leaf = RecordingReceiver.start().respond(reply);
		this.closing.add(leaf);
		return leaf;
	}

	private StallingServer straggler() {
		StallingServer straggler = StallingServer.start();
		this.closing.add(straggler);
		return straggler;
	}

	private static JsonNode json(ScatterResult result) {
		return ((Merged.Json) result.merged()).node();
	}

}
