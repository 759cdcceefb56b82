package dev.outrigger.work.status;

import java.util.Map;

import dev.outrigger.work.item.ItemState;

/**
 * A queue at a glance.
 *
 * @param queue the queue
 * @param depth items waiting: queued, or retrying after a failed attempt
 * @param inFlight items a worker is running now
 * @param outcomes finished items still within the status retention, per final state
 * @param finishedPerSecond items finished per second over the last minute
 */
public record QueueStats(String queue, long depth, long inFlight, Map<ItemState, Long> outcomes,
		double finishedPerSecond) {

}
