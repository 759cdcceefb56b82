package dev.outrigger.scatter.gather;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import dev.outrigger.kit.lifecycle.LifecycleParticipant;
import dev.outrigger.kit.lifecycle.Readiness;

/**
 * The root's part in the container lifecycle: paused or draining, it takes no new
 * requests (they get 503); drain waits, within its deadline, for the requests in flight.
 * Ready while every route has leaves.
 */
public final class ScatterLifecycle implements LifecycleParticipant {

	private final Routes routes;

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile boolean accepting = true;

	public ScatterLifecycle(Routes routes) {
		this.routes = routes;
	}

	/**
	 * Counts a request in, before anything else is done for it; false (and not counted)
	 * when the root takes no new requests. Counting first, then looking, means drain
	 * either sees the request or the request sees the drain.
	 */
	public boolean enter() {
		this.inFlight.incrementAndGet();
		if (!this.accepting) {
			this.inFlight.decrementAndGet();
			return false;
		}
		return true;
	}

	/** Counts a request that {@link #enter() entered} out. */
	public void exit() {
		this.inFlight.decrementAndGet();
	}

	@Override
	public String name() {
		return "scatter";
	}

	@Override
	public void pause() {
		this.accepting = false;
	}

	@Override
	public void resume() {
		this.accepting = true;
	}

	@Override
	public void drain(Duration deadline) throws InterruptedException {
		this.accepting = false;
		long until = System.nanoTime() + deadline.toNanos();
		while (this.inFlight.get() > 0 && System.nanoTime() < until) {
			Thread.sleep(10);
		}
	}

	@Override
	public Readiness readiness() {
		List<String> problems = this.routes.all()
			.stream()
			.map((route) -> (route.directory().problem() != null)
					? "route " + route.prefix() + ": " + route.directory().problem() : null)
			.filter(Objects::nonNull)
			.toList();
		return problems.isEmpty() ? Readiness.ready("every route has leaves")
				: Readiness.notReady(String.join("; ", problems));
	}

}
