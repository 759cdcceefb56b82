package dev.outrigger.work.coordinator;

/**
 * An item larger than {@code OUTRIGGER_WORK_MAX_ITEM_BYTES}. The API answers 413 with the
 * message as the problem's detail.
 */
public class ItemTooLargeException extends RuntimeException {

	public ItemTooLargeException(int size, int limit) {
		super("the item is " + size + " bytes as JSON; the limit is " + limit + " (OUTRIGGER_WORK_MAX_ITEM_BYTES)");
	}

}
