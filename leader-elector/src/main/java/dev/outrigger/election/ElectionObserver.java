package dev.outrigger.election;

/**
 * Receives what a backend confirmed. A backend reports this candidate as leader only after its
 * store confirmed the acquisition, and reports it is no longer leader as soon as it cannot renew
 * within the renew deadline, before any other candidate could acquire.
 */
@FunctionalInterface
public interface ElectionObserver {

	void observe(LeaderObservation observation);

}
