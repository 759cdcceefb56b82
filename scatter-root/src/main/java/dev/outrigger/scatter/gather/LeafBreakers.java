package dev.outrigger.scatter.gather;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

/**
 * A circuit breaker per leaf (resilience4j): a leaf that failed half of its last 20 calls
 * (at least 10) gets no calls for 5 s, then 2 trial calls. A leaf whose circuit is open
 * is passed over for another replica of its shard; a shard whose every replica is open
 * fails at once. A leaf's 4xx answers are the request's fault, not the leaf's: they count
 * as successes.
 */
public final class LeafBreakers {

	/** The defaults above. */
	public static final CircuitBreakerConfig DEFAULTS = CircuitBreakerConfig.custom()
		.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
		.slidingWindowSize(20)
		.minimumNumberOfCalls(10)
		.failureRateThreshold(50)
		.waitDurationInOpenState(Duration.ofSeconds(5))
		.permittedNumberOfCallsInHalfOpenState(2)
		.build();

	private final CircuitBreakerRegistry registry;

	public LeafBreakers() {
		this(DEFAULTS);
	}

	public LeafBreakers(CircuitBreakerConfig config) {
		this.registry = CircuitBreakerRegistry.of(config);
	}

	private CircuitBreaker of(URI leaf) {
		return this.registry.circuitBreaker(leaf.toString());
	}

	boolean tryAcquire(URI leaf) {
		return of(leaf).tryAcquirePermission();
	}

	void succeeded(URI leaf, long nanos) {
		of(leaf).onSuccess(nanos, TimeUnit.NANOSECONDS);
	}

	void failed(URI leaf, long nanos, Throwable cause) {
		of(leaf).onError(nanos, TimeUnit.NANOSECONDS, cause);
	}

	/** A call that was cancelled: it says nothing of the leaf. */
	void released(URI leaf) {
		of(leaf).releasePermission();
	}

	/** Drops the circuits of every leaf but {@code leaves}. */
	void retain(Set<URI> leaves) {
		Set<String> names = leaves.stream().map(URI::toString).collect(Collectors.toSet());
		this.registry.getAllCircuitBreakers()
			.stream()
			.map(CircuitBreaker::getName)
			.filter((name) -> !names.contains(name))
			.toList()
			.forEach(this.registry::remove);
	}

	/** The leaves with a circuit. */
	Set<String> leaves() {
		return this.registry.getAllCircuitBreakers().stream().map(CircuitBreaker::getName).collect(Collectors.toSet());
	}

	/** CLOSED, OPEN, HALF_OPEN…, for operators. */
	public String state(URI leaf) {
		return of(leaf).getState().name();
	}

}
