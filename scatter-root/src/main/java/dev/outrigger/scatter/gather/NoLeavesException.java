package dev.outrigger.scatter.gather;

/**
 * The route has no leaves to ask (a DNS name without addresses, an empty EndpointSlice);
 * the client gets 503.
 */
public class NoLeavesException extends RuntimeException {

	public NoLeavesException(String message) {
		super(message);
	}

}
