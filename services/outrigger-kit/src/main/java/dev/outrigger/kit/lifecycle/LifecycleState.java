package dev.outrigger.kit.lifecycle;

import java.util.Set;

/**
 * The states every Outrigger container goes through. Readiness is only ever true in
 * {@link #RUNNING}; from {@link #DRAINING} on the container refuses new work for good.
 */
public enum LifecycleState {

	STARTING, RUNNING, PAUSED, DRAINING, STOPPED;

	/** Whether a container in this state may move to {@code target}. */
	public boolean canMoveTo(LifecycleState target) {
		return successors().contains(target);
	}

	private Set<LifecycleState> successors() {
		return switch (this) {
			case STARTING -> Set.of(RUNNING, DRAINING);
			case RUNNING -> Set.of(PAUSED, DRAINING);
			case PAUSED -> Set.of(RUNNING, DRAINING);
			case DRAINING -> Set.of(STOPPED);
			case STOPPED -> Set.of();
		};
	}

	/**
	 * Whether the container has begun to shut down and will never take new work again.
	 */
	public boolean isShuttingDown() {
		return this == DRAINING || this == STOPPED;
	}

}
