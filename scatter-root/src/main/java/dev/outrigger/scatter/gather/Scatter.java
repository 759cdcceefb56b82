package dev.outrigger.scatter.gather;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.outrigger.scatter.Shard;
import dev.outrigger.scatter.merge.Gathering;
import dev.outrigger.scatter.merge.MergeFailedException;
import dev.outrigger.scatter.merge.MergeRequest;
import dev.outrigger.scatter.merge.Merged;
import dev.outrigger.scatter.merge.UnfitAnswerException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Scatter and gather for one request: a call to every shard at once, the answers merged
 * as they arrive (on the request's own thread), until every shard answered, the merge has
 * its answer, or the deadline passed — then whatever is outstanding is cancelled and
 * counted. The answer is partial (and says so) when some shards failed or timed out and
 * the route allows it; with no shard answering it is an error, never an empty 200.
 */
public final class Scatter implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(Scatter.class);

	private final LeafClient client;

	private final LeafBreakers breakers;

	private final ShardLatencies latencies = new ShardLatencies();

	private final Map<String, HedgeBudget> budgets = new ConcurrentHashMap<>();

	private final BufferBudget buffers;

	// fires hedges: a platform thread, so a backup goes out on time however busy the
	// virtual threads are
	private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
			Thread.ofPlatform().daemon().name("scatter-hedges").factory());

	// turns each shard's first replica round, so replicas share the load
	private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();

	private final ScatterMetrics metrics;

	public Scatter(LeafClient client, LeafBreakers breakers, BufferBudget buffers, ScatterMetrics metrics) {
		this.client = client;
		this.breakers = breakers;
		this.buffers = buffers;
		this.metrics = metrics;
		// a call that ends before its hedging delay cancels its timer: gone at once, not
		// held (with its answer) until the delay would have passed
		this.timer.setRemoveOnCancelPolicy(true);
	}

	/**
	 * Forgets, every {@code period}, what it keeps per shard and per leaf (circuit,
	 * latencies, turn, meters) of those no route has now: the pods a DNS name gave before
	 * they were replaced would otherwise be kept until the root restarts.
	 */
	public void forgetDepartedEvery(Duration period, Supplier<List<Route>> routes) {
		long millis = period.toMillis();
		this.timer.scheduleWithFixedDelay(() -> {
			try {
				forgetDeparted(routes.get());
			}
			catch (RuntimeException ex) {
				// a task that throws is never run again: log and carry on
				logger.warn("Could not forget departed leaves: " + ex.getMessage(), ex);
			}
		}, millis, millis, TimeUnit.MILLISECONDS);
	}

	void forgetDeparted(List<Route> routes) {
		Set<String> shards = new HashSet<>();
		Set<URI> leaves = new HashSet<>();
		for (Route route : routes) {
			for (Shard shard : route.directory().shards()) {
				shards.add(shard.id());
				leaves.addAll(shard.replicas());
			}
		}
		this.latencies.retain(shards);
		this.turns.keySet().retainAll(shards);
		this.breakers.retain(leaves);
		this.metrics.retainShards(shards);
	}

	/**
	 * Serves one request on {@code route}.
	 * @throws NoLeavesException if the route has no leaves now
	 * @throws ScatterFailedException if there is no answer to give
	 * @throws dev.outrigger.scatter.merge.InvalidMergeRequestException if the request
	 * asks the merge for what it cannot give
	 */
	public ScatterResult scatter(Route route, ScatterRequest request) throws InterruptedException {
		long started = System.nanoTime();
		List<Shard> shards = route.directory().shards();
		if (shards.isEmpty()) {
			String problem = route.directory().problem();
			this.metrics.request(route.prefix(), "no_leaves", System.nanoTime() - started);
			throw new NoLeavesException("Route " + route.prefix() + " has no leaves now ("
					+ ((problem != null) ? problem : route.directory().describe()) + ").");
		}
		Gathering gathering = route.merge().begin(new MergeRequest(shards.size(), request.query()));
		String pathAndQuery = route.leafPath(request.path()) + query(route, request);
		try (BufferBudget.Account account = this.buffers.open()) {
			ShardCall.Context context = new ShardCall.Context(route, this.client, this.breakers,
					this.budgets.computeIfAbsent(route.prefix(), (key) -> new HedgeBudget(route.hedging().budget())),
					this.latencies, this.timer, this.metrics, account);
			LinkedBlockingQueue<LeafOutcome> arrived = new LinkedBlockingQueue<>();
			ShardCall[] calls = new ShardCall[shards.size()];
			for (int i = 0; i < calls.length; i++) {
				Shard shard = shards.get(i);
				int turn = this.turns.computeIfAbsent(shard.id(), (id) -> new AtomicInteger()).getAndIncrement();
				calls[i] = new ShardCall(i, shard, turn, request, pathAndQuery, context, arrived::add);
			}
			LeafOutcome[] outcomes = new LeafOutcome[calls.length];
			boolean complete = gather(request, arrived, outcomes, gathering, calls);
			ScatterReport report = ScatterReport.of(outcomes);
			for (LeafOutcome outcome : outcomes) {
				this.metrics.leaf(route.prefix(), outcome.shardId(), outcome.result().name().toLowerCase(),
						outcome.nanos());
			}
			ScatterResult result = answer(route, gathering, report, complete);
			this.metrics.request(route.prefix(), report.partial() ? "partial" : "complete",
					System.nanoTime() - started);
			return result;
		}
		catch (ScatterFailedException ex) {
			this.metrics.request(route.prefix(), "failed", System.nanoTime() - started);
			throw ex;
		}
	}

	/** Takes answers until all are in, the merge is done or the deadline passed. */
	private boolean gather(ScatterRequest request, LinkedBlockingQueue<LeafOutcome> arrived, LeafOutcome[] outcomes,
			Gathering gathering, ShardCall[] calls) throws InterruptedException {
		int pending = calls.length;
		boolean complete = false;
		try {
			for (ShardCall call : calls) {
				call.start();
			}
			while (pending > 0 && !complete) {
				LeafOutcome outcome = arrived.poll(Math.max(0, request.remainingNanos()), TimeUnit.NANOSECONDS);
				if (outcome == null) {
					break;
				}
				pending--;
				if (outcome.result() == LeafOutcome.Result.SUCCEEDED) {
					try {
						complete = gathering.add(outcome.shard(), outcome.answer());
					}
					catch (UnfitAnswerException ex) {
						outcome = outcome.unfit(ex.getMessage());
					}
				}
				outcomes[outcome.shard()] = outcome.withoutAnswer();
			}
		}
		finally {
			for (int i = 0; i < calls.length; i++) {
				if (outcomes[i] == null) {
					outcomes[i] = calls[i]
						.abandon(complete ? LeafOutcome.Result.SKIPPED : LeafOutcome.Result.TIMED_OUT);
				}
			}
		}
		return complete;
	}

	private ScatterResult answer(Route route, Gathering gathering, ScatterReport report, boolean complete) {
		if (report.successful() == 0) {
			boolean slow = report.timedOut() > 0 && report.failed() == 0;
			throw new ScatterFailedException(slow ? 504 : 502, slow ? "No leaf answered in time" : "Every leaf failed",
					slow ? "No shard answered before the deadline; raise the route's timeout or the Outrigger-Deadline"
							+ " header, or look at the leaves."
							: "None of the " + report.total() + " shards answered successfully; see the report.",
					report);
		}
		if (report.partial() && !route.partialResults()) {
			throw new ScatterFailedException(report.failed() > 0 ? 502 : 504, "Partial results not allowed",
					(report.failed() + report.timedOut()) + " of " + report.total()
							+ " shards did not answer, and route " + route.prefix()
							+ " does not allow partial results (partial-results: false); see the report.",
					report);
		}
		try {
			Merged merged = gathering.result();
			return new ScatterResult(merged, report);
		}
		catch (MergeFailedException ex) {
			throw new ScatterFailedException(502, "Merge failed", ex.getMessage() + "; see the report.", report);
		}
	}

	/**
	 * The query the leaves get: as received, with the parameters the merge sets (topk's
	 * from and size) replaced or added; every other parameter stays exactly as the client
	 * wrote it.
	 */
	static String query(Route route, ScatterRequest request) {
		Map<String, String> set = route.merge().leafParameters(request.query());
		if (set.isEmpty()) {
			return (request.rawQuery() != null) ? "?" + request.rawQuery() : "";
		}
		List<String> parameters = new ArrayList<>();
		if (request.rawQuery() != null && !request.rawQuery().isEmpty()) {
			for (String parameter : request.rawQuery().split("&")) {
				int equals = parameter.indexOf('=');
				String name = URLDecoder.decode((equals < 0) ? parameter : parameter.substring(0, equals),
						StandardCharsets.UTF_8);
				if (!set.containsKey(name)) {
					parameters.add(parameter);
				}
			}
		}
		set.forEach((name, value) -> parameters.add(encode(name) + "=" + encode(value)));
		return "?" + String.join("&", parameters);
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

}
