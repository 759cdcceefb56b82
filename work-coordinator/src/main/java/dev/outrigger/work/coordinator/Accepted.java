package dev.outrigger.work.coordinator;

/**
 * A submission the coordinator took.
 *
 * @param id the item id
 * @param duplicate whether an earlier submission with the same idempotency key had queued
 * it
 */
public record Accepted(String id, boolean duplicate) {

}
