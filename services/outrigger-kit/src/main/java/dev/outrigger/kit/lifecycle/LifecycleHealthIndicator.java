package dev.outrigger.kit.lifecycle;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness from the lifecycle: UP only while RUNNING with every participant ready;
 * otherwise OUT_OF_SERVICE, which the readiness probe answers with 503. Details name the
 * state and each participant's readiness so an operator sees why.
 */
public class LifecycleHealthIndicator implements HealthIndicator {

	private final Lifecycle lifecycle;

	public LifecycleHealthIndicator(Lifecycle lifecycle) {
		this.lifecycle = lifecycle;
	}

	@Override
	public Health health() {
		Health.Builder builder = this.lifecycle.isReady() ? Health.up() : Health.outOfService();
		return builder.withDetail("state", this.lifecycle.status().state())
			.withDetail("since", this.lifecycle.status().since().toString())
			.withDetail("participants", this.lifecycle.participantReadiness())
			.build();
	}

}
