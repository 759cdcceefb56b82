package dev.outrigger.work.coordinator.api;

import dev.outrigger.work.item.ItemStatus;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A dead item in the dead list: its status and, when it was a readable item, its payload.
 *
 * @param item the status
 * @param payload what the worker was sent
 */
public record DeadItemView(ItemView item, @Nullable JsonNode payload) {

	static DeadItemView of(ItemStatus status) {
		return new DeadItemView(ItemView.of(status), (status.item() != null) ? status.item().payload() : null);
	}

}
