package dev.outrigger.work.item;

/**
 * Where an item is in its life. SUCCEEDED and CANCELLED are final; DEAD is final unless
 * the item is re-driven, which starts a new generation at QUEUED.
 */
public enum ItemState {

	QUEUED, RUNNING, RETRYING, SUCCEEDED, DEAD, CANCELLED;

	public boolean finished() {
		return this == SUCCEEDED || this == DEAD || this == CANCELLED;
	}

}
