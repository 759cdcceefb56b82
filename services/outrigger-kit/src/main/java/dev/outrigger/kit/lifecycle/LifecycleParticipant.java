package dev.outrigger.kit.lifecycle;

import java.time.Duration;

/**
 * How a pattern takes part in the container lifecycle: it stops and resumes taking work,
 * gives up what it holds on drain, and says whether it is ready. Every Spring bean of
 * this type is a participant. Hooks are called from the thread that changes the state;
 * drain runs on its own thread per participant and is interrupted when its deadline
 * passes.
 */
public interface LifecycleParticipant {

	/** A short name for logs, readiness details and {@code /actuator/info}. */
	String name();

	/** Stop taking new work; work in flight may finish. */
	default void pause() {
	}

	/** Take new work again after {@link #pause()}. */
	default void resume() {
	}

	/**
	 * Stop taking new work for good, finish or hand back what is in flight and give up
	 * held roles (leases, partitions) within {@code deadline}. The kit stops waiting and
	 * interrupts the calling thread when the deadline passes.
	 * @param deadline the time this participant has
	 * @throws Exception if draining failed; the kit logs it and stops anyway
	 */
	default void drain(Duration deadline) throws Exception {
	}

	/** Whether this participant can serve traffic now. */
	default Readiness readiness() {
		return Readiness.ready("ready");
	}

}
