package dev.outrigger.scatter.api;

import java.util.List;

import dev.outrigger.scatter.Hedging;
import dev.outrigger.scatter.Shard;
import dev.outrigger.scatter.gather.LeafBreakers;
import dev.outrigger.scatter.gather.Route;
import dev.outrigger.scatter.gather.Routes;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /routes}: every route with its settings and its leaves as the root sees them
 * now, each leaf with the state of its circuit breaker.
 */
@RestController
public final class RoutesController {

	private final Routes routes;

	private final LeafBreakers breakers;

	public RoutesController(Routes routes, LeafBreakers breakers) {
		this.routes = routes;
		this.breakers = breakers;
	}

	@GetMapping("/routes")
	public List<RouteView> routes() {
		return this.routes.all().stream().map(this::view).toList();
	}

	private RouteView view(Route route) {
		List<ShardView> shards = route.directory()
			.shards()
			.stream()
			.map((shard) -> new ShardView(shard.id(), replicas(shard)))
			.toList();
		Hedging hedging = route.hedging();
		String hedge = switch (hedging.mode()) {
			case OFF -> "off";
			case P95 -> "p95";
			case FIXED -> hedging.delay().toMillis() + "ms";
		};
		return new RouteView(route.prefix(), route.merge().name(), route.directory().describe(),
				route.directory().problem(), route.timeout().toMillis(), route.maxTimeout().toMillis(), hedge,
				hedging.budget() * 100, route.partialResults(), shards);
	}

	private List<ReplicaView> replicas(Shard shard) {
		return shard.replicas()
			.stream()
			.map((leaf) -> new ReplicaView(leaf.toString(), this.breakers.state(leaf)))
			.toList();
	}

	/**
	 * A route as {@code GET /routes} shows it.
	 *
	 * @param prefix its path prefix
	 * @param merge its merge
	 * @param leaves where its leaves come from
	 * @param problem why it has no leaves, or null
	 * @param timeoutMillis its default deadline
	 * @param maxTimeoutMillis the longest deadline a client may ask for
	 * @param hedgeDelay off, p95 or a delay
	 * @param hedgeBudgetPercent backups at most, as a percentage of primary calls
	 * @param partialResults whether a partial answer is given
	 * @param shards its shards now
	 */
	public record RouteView(String prefix, String merge, String leaves, @Nullable String problem, long timeoutMillis,
			long maxTimeoutMillis, String hedgeDelay, double hedgeBudgetPercent, boolean partialResults,
			List<ShardView> shards) {
	}

	/**
	 * A shard.
	 *
	 * @param id its name
	 * @param replicas its leaves
	 */
	public record ShardView(String id, List<ReplicaView> replicas) {
	}

	/**
	 * A leaf.
	 *
	 * @param url its base URL
	 * @param circuit its circuit breaker's state: CLOSED (calls go), OPEN (passed over),
	 * HALF_OPEN (trial calls)
	 */
	public record ReplicaView(String url, String circuit) {
	}

}
