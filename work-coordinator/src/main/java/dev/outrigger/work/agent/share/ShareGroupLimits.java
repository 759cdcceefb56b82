package dev.outrigger.work.agent.share;

import java.time.Duration;

/**
 * What Kafka allows the agents' share group.
 *
 * @param recordLock how long a delivered record stays locked to its consumer unless
 * renewed
 * @param deliveryLimit deliveries of a record after which Kafka archives it instead of
 * delivering it again
 */
record ShareGroupLimits(Duration recordLock, int deliveryLimit) {

}
