package dev.outrigger.work.item;

/**
 * A record on a queue topic that is not a work item (not JSON, or missing what an item
 * needs). It can never succeed, so it goes to the dead-letter topic on its first
 * delivery.
 */
public class UnreadableItemException extends Exception {

	public UnreadableItemException(String message) {
		super(message);
	}

}
