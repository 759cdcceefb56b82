package dev.outrigger.scatter.merge;

/**
 * A leaf answered, but not in a form its route can merge (not JSON, no array where the
 * route expects one): the leaf counts as failed, with this message as its error.
 */
public class UnfitAnswerException extends RuntimeException {

	public UnfitAnswerException(String message) {
		super(message);
	}

}
