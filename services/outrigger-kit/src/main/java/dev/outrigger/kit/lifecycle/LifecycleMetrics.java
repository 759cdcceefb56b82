package dev.outrigger.kit.lifecycle;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code outrigger_lifecycle_state{state="…"}}: 1 for the current state, 0 for the
 * others, the state-set shape Prometheus alerts can match on
 * ({@code outrigger_lifecycle_state{state="PAUSED"} == 1}).
 */
public class LifecycleMetrics implements MeterBinder {

	private final Lifecycle lifecycle;

	public LifecycleMetrics(Lifecycle lifecycle) {
		this.lifecycle = lifecycle;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (LifecycleState state : LifecycleState.values()) {
			Gauge
				.builder("outrigger.lifecycle.state", this.lifecycle,
						(lifecycle) -> lifecycle.status().state() == state ? 1 : 0)
				.description("1 when the container is in this lifecycle state")
				.tag("state", state.name())
				.register(registry);
		}
	}

}
