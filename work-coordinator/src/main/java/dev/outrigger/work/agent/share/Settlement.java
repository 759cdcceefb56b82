package dev.outrigger.work.agent.share;

import org.apache.kafka.clients.consumer.AcknowledgeType;

/**
 * A delivery is through: its consumer must acknowledge the record with {@code type}.
 *
 * @param delivery the delivery that settled, so a settlement is never applied to a later
 * delivery of the same record
 * @param type ACCEPT, REJECT or RELEASE
 */
record Settlement(Delivery delivery, AcknowledgeType type) {

}
