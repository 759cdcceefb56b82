package dev.outrigger.ambassador.resp;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * A slot in a client's reply queue: filled in any order, written out in request order.
 */
final class PendingReply implements ReplyCallback {

	private final ClientSession session;

	@Nullable ByteBuf reply;

	/** QUIT and protocol errors: close the client once this reply is written. */
	final boolean closeAfter;

	PendingReply(ClientSession session, boolean closeAfter) {
		this.session = session;
		this.closeAfter = closeAfter;
	}

	/** Set when the client is gone: a reply still on its way is released on arrival. */
	private boolean abandoned;

	void abandon() {
		this.abandoned = true;
	}

	@Override
	public void onReply(ByteBuf reply) {
		if (this.reply != null || this.abandoned) {
			// exactly one reply per slot; a second would be a bug, but never a leak
			reply.release();
			return;
		}
		this.reply = reply;
		this.session.replyReady();
	}

}
