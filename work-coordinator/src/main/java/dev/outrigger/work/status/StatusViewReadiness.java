package dev.outrigger.work.status;

import dev.outrigger.kit.lifecycle.LifecycleParticipant;
import dev.outrigger.kit.lifecycle.Readiness;

/**
 * Not ready until the status view has read the status topic as far as it reached at
 * start: before that, answers about items (and an agent's skip decisions) would be out of
 * date.
 */
public final class StatusViewReadiness implements LifecycleParticipant {

	private final StatusView view;

	public StatusViewReadiness(StatusView view) {
		this.view = view;
	}

	@Override
	public String name() {
		return "status-view";
	}

	@Override
	public Readiness readiness() {
		return this.view.caughtUpAtStart()
				? Readiness.ready("caught up; about " + this.view.size() + " entries in the status store")
				: Readiness.notReady("reading the status topic");
	}

}
