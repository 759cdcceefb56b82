package dev.outrigger.work.agent;

import dev.outrigger.kit.lifecycle.LifecycleParticipant;

/**
 * How items reach the {@link ItemRunner}: Kafka share groups or a classic consumer group.
 * The engine owns its consumers; as a lifecycle participant it stops taking items on
 * pause and, on drain, lets items in flight finish until the deadline and hands the rest
 * back to Kafka.
 */
public interface WorkEngine extends LifecycleParticipant {

	/** Starts taking items from the agent's queues. */
	void start();

	/** Stops at once, handing back anything in flight (after a drain, nothing is). */
	void stop();

}
