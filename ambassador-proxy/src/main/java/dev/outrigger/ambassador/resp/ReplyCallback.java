package dev.outrigger.ambassador.resp;

import io.netty.buffer.ByteBuf;

/**
 * Receives one reply, or the proxy's error in its place; the receiver owns (releases) it.
 */
@FunctionalInterface
interface ReplyCallback {

	void onReply(ByteBuf reply);

}
