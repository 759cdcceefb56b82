package dev.outrigger.scatter.merge;

/**
 * The client asked for what the merge cannot give (a page past the window); it gets 400
 * with this message, and no leaf is called.
 */
public class InvalidMergeRequestException extends RuntimeException {

	public InvalidMergeRequestException(String message) {
		super(message);
	}

}
