package dev.outrigger.kit.lifecycle;

/**
 * Thrown when an operator asks for a state the container cannot move to from where it is.
 */
public class IllegalLifecycleTransitionException extends RuntimeException {

	private final LifecycleState from;

	private final LifecycleState to;

	public IllegalLifecycleTransitionException(LifecycleState from, LifecycleState to) {
		super("Cannot move from %s to %s: %s".formatted(from, to, hint(from)));
		this.from = from;
		this.to = to;
	}

	private static String hint(LifecycleState from) {
		return switch (from) {
			case STARTING -> "the container is still starting; retry once GET /lifecycle says RUNNING";
			case RUNNING -> "the container is running; POST /lifecycle/pause or /lifecycle/drain";
			case PAUSED -> "the container is paused; POST /lifecycle/resume or /lifecycle/drain";
			case DRAINING, STOPPED -> "the container is shutting down for good; restart it to serve again";
		};
	}

	public LifecycleState from() {
		return this.from;
	}

	public LifecycleState to() {
		return this.to;
	}

}
