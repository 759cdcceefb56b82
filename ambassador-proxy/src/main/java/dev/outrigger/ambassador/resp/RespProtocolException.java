package dev.outrigger.ambassador.resp;

import io.netty.handler.codec.CorruptedFrameException;

/** Malformed RESP; the message becomes the text after {@code -ERR Protocol error: }. */
public final class RespProtocolException extends CorruptedFrameException {

	RespProtocolException(String message) {
		super(message);
	}

}
