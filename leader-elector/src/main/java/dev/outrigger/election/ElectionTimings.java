package dev.outrigger.election;

import java.time.Duration;

/**
 * How long a leader's term lasts without renewal, how long it keeps trying to renew
 * before it gives up, and how often candidates retry.
 *
 * @param leaseDuration a term unrenewed for this long may be taken by another candidate
 * @param renewDeadline a leader that has not renewed for this long says it is no longer
 * leader
 * @param retryPeriod how often candidates try to acquire and leaders renew
 */
public record ElectionTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

}
