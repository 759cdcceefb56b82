package dev.outrigger.kit.lifecycle;

import java.time.Instant;

/**
 * The state of a container and when it entered that state.
 *
 * @param state the current state
 * @param since when the container entered it
 */
public record LifecycleStatus(LifecycleState state, Instant since) {
}
