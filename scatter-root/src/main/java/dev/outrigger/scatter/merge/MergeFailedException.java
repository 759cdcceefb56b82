package dev.outrigger.scatter.merge;

/**
 * The answers that came back do not make a merged answer (a quorum not met); the client
 * gets 502 with this message.
 */
public class MergeFailedException extends RuntimeException {

	public MergeFailedException(String message) {
		super(message);
	}

}
