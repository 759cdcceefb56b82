package dev.outrigger.election;

import org.jspecify.annotations.Nullable;

/**
 * Receives what a backend confirmed. A backend reports this candidate as leader only
 * after its store confirmed the acquisition, and reports it is no longer leader as soon
 * as it cannot renew within the renew deadline, before any other candidate could acquire.
 */
@FunctionalInterface
public interface ElectionObserver {

	void observe(LeaderObservation observation);

	/**
	 * Why the backend cannot answer for this election, in words an operator can act on
	 * (an authentication failure, a topic it may not create), or {@code null} once it can
	 * again. The sidecar is not ready while a problem stands, and readiness says why.
	 */
	default void problem(@Nullable String problem) {
	}

}
