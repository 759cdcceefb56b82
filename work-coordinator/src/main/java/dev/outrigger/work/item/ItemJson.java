package dev.outrigger.work.item;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON form of items and statuses on Kafka. Nulls are left out; unknown fields are
 * ignored so a newer agent's snapshots stay readable by an older coordinator.
 */
public final class ItemJson {

	private final JsonMapper json;

	public ItemJson() {
		this.json = JsonMapper.builder()
			.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.build();
	}

	public byte[] write(Object value) {
		return this.json.writeValueAsBytes(value);
	}

	/** Reads an item from a queue topic. */
	public WorkItem readItem(byte[] bytes) throws UnreadableItemException {
		try {
			WorkItem item = this.json.readValue(bytes, WorkItem.class);
			if (item == null || item.id() == null || item.queue() == null || item.payload() == null
					|| item.submittedAt() == null || item.maxAttempts() < 1 || item.timeoutMillis() < 1) {
				throw new UnreadableItemException("not a work item: id, queue, payload, submittedAt, "
						+ "maxAttempts and timeoutMillis are required");
			}
			return item;
		}
		catch (JacksonException ex) {
			throw new UnreadableItemException("not a work item: " + ex.getOriginalMessage());
		}
	}

	public ItemStatus readStatus(byte[] bytes) {
		return this.json.readValue(bytes, ItemStatus.class);
	}

	public JsonMapper mapper() {
		return this.json;
	}

}
