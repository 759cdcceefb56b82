package dev.outrigger.work.status;

import java.util.Map;

import dev.outrigger.work.item.ItemState;

/**
 * A queue at a glance.
 *
 * @param queue the queue
 * @param depth items waiting: queued (including attempts too young to be reported
 * RUNNING), or retrying after a failed attempt
 * @param inFlight items reported RUNNING: attempts that have run longer than
 * {@code OUTRIGGER_WORK_REPORT_RUNNING_AFTER}
 * @param outcomes finished items still within the status retention, per final state
 * @param finishedPerSecond items finished per second over the last minute
 */
public record QueueStats(String queue, long depth, long inFlight, Map<ItemState, Long> outcomes,
		double finishedPerSecond) {

}
