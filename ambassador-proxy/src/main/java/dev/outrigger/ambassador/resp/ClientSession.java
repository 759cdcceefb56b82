package dev.outrigger.ambassador.resp;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outrigger.ambassador.Shard;
import dev.outrigger.ambassador.resp.CommandSpec.Action;

/**
 * One client connection: routes each command and keeps a FIFO of pending replies, so
 * replies leave in request order however the shards answer. Replies are written as they
 * become ready at the head and flushed once per event-loop batch.
 * <p>
 * Back-pressure: reading from the client stops while it is not writable (it is not
 * reading our replies), while too many replies are pending, or while a backend connection
 * it writes to is full; it resumes when that clears.
 */
final class ClientSession extends ChannelInboundHandlerAdapter {

	private static final Logger logger = LoggerFactory.getLogger(ClientSession.class);

	/** Stop reading a client with this many replies outstanding; resume at half. */
	static final int MAX_PENDING = 4096;

	private final Backends backends;

	private final LongAdder inFlight;

	private final ArrayDeque<PendingReply> pending = new ArrayDeque<>();

	/** One task object for every flush, not one per reply. */
	private final Runnable flush = this::flush;

	private @Nullable ChannelHandlerContext ctx;

	/** This client's event loop's backend connections. */
	private @Nullable LoopConnections connections;

	private boolean flushScheduled;

	private boolean closing;

	private boolean backendBlocked;

	private int affinity;

	ClientSession(Backends backends, LongAdder inFlight) {
		this.backends = backends;
		this.inFlight = inFlight;
	}

	RingHolder ring() {
		return this.backends.ring();
	}

	ByteBufAllocator alloc() {
		return this.ctx.alloc();
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
		this.connections = this.backends.on(ctx.channel().eventLoop());
		this.affinity = ctx.channel().id().hashCode();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		RespCommand command = (RespCommand) msg;
		if (this.closing) {
			command.release();
			return;
		}
		try {
			dispatch(command);
		}
		catch (RuntimeException ex) {
			// a bug must not leak buffers nor leave a hole in the reply queue
			logger.error("Failed to route {}", command, ex);
			if (command.refCnt() > 0) {
				command.release();
			}
			ctx.close();
		}
	}

	private void dispatch(RespCommand command) {
		CommandSpec spec = CommandTable.lookup(command.name());
		boolean quit = "QUIT".equals(command.name());
		PendingReply slot = enqueue(quit);
		if (spec == null) {
			answer(slot, command, "ERR unknown command '" + command.argAsString(0) + "'");
			return;
		}
		if (command.argc() < spec.minArgs()) {
			slot.onReply(LocalCommands.wrongArity(alloc(), command));
			command.release();
			return;
		}
		switch (spec.action()) {
			case LOCAL -> {
				try {
					slot.onReply(LocalCommands.answer(alloc(), command));
				}
				finally {
					command.release();
				}
			}
			case REJECT -> answer(slot, command, "ERR " + command.name() + ": " + spec.reason());
			case SPLIT_MGET, SPLIT_SUM -> SplitCommand.dispatch(command, spec, this, slot);
			case SPLIT_MSET -> {
				if ((command.argc() - 1) % 2 != 0) {
					slot.onReply(LocalCommands.wrongArity(alloc(), command));
					command.release();
				}
				else {
					SplitCommand.dispatch(command, spec, this, slot);
				}
			}
			case FORWARD, NUMKEYS -> forwardWhole(command, spec, slot);
		}
		if (this.pending.size() >= MAX_PENDING) {
			this.ctx.channel().config().setAutoRead(false);
		}
	}

	/** All keys must map to one shard; the original bytes go there unchanged. */
	private void forwardWhole(RespCommand command, CommandSpec spec, PendingReply slot) {
		int first;
		int last;
		if (spec.action() == Action.NUMKEYS) {
			long numkeys = command.argAsLong(spec.firstKey());
			if (numkeys < 0 || spec.firstKey() + numkeys > command.argc() - 1) {
				answer(slot, command, "ERR invalid numkeys for '" + command.name().toLowerCase() + "'");
				return;
			}
			int keysBefore = spec.lastKey();
			if (numkeys == 0 && keysBefore == 0) {
				answer(slot, command, "ERR " + command.name()
						+ " without keys cannot be routed by the sharding proxy; pass the keys it touches");
				return;
			}
			first = (keysBefore > 0) ? 1 : spec.firstKey() + 1;
			last = spec.firstKey() + (int) numkeys;
			if (keysBefore > 0 && numkeys > 0) {
				// destination first, then the numkeys sources
				Shard destination = locate(command, 1);
				Shard sources = sameShard(command, spec.firstKey() + 1, last, 1);
				if (sources == null || !sources.equals(destination)) {
					answer(slot, command, crossSlot(command));
					return;
				}
				forward(destination, frameOf(command), slot);
				command.release();
				return;
			}
		}
		else {
			first = spec.firstKey();
			last = (spec.lastKey() < 0) ? command.argc() + spec.lastKey() : spec.lastKey();
		}
		Shard shard = sameShard(command, first, last, spec.step());
		if (shard == null) {
			answer(slot, command, crossSlot(command));
			return;
		}
		forward(shard, frameOf(command), slot);
		command.release();
	}

	private @Nullable Shard sameShard(RespCommand command, int first, int last, int step) {
		Shard shard = locate(command, first);
		for (int i = first + step; i <= last; i += step) {
			if (!locate(command, i).equals(shard)) {
				return null;
			}
		}
		return shard;
	}

	private Shard locate(RespCommand command, int arg) {
		return ring().locate(command.content(), command.absoluteOffset(arg), command.length(arg));
	}

	private ByteBuf frameOf(RespCommand command) {
		// inline commands are re-framed so the shard sees exactly the arguments we routed
		// on
		return command.inline() ? Replies.toArray(alloc(), command) : command.content().retain();
	}

	private static String crossSlot(RespCommand command) {
		return "CROSSSLOT Keys in request don't hash to the same shard ('" + command.name().toLowerCase()
				+ "' needs all its keys on one shard; use a hash tag)";
	}

	private void answer(PendingReply slot, RespCommand command, String error) {
		command.release();
		slot.onReply(Replies.error(alloc(), error));
	}

	/** Sends a frame (ownership passes) to {@code shard} on this client's event loop. */
	void forward(Shard shard, ByteBuf frame, ReplyCallback callback) {
		BackendConnection connection = this.connections.connection(shard, this.affinity);
		connection.send(frame, callback);
		if (connection.saturated() && !this.backendBlocked) {
			this.backendBlocked = true;
			connection.pauseUntilWritable(this);
			this.ctx.channel().config().setAutoRead(false);
		}
	}

	private PendingReply enqueue(boolean closeAfter) {
		PendingReply slot = new PendingReply(this, closeAfter);
		this.pending.add(slot);
		this.inFlight.increment();
		return slot;
	}

	/** Writes every reply now ready at the head of the queue. */
	void replyReady() {
		ChannelHandlerContext ctx = this.ctx;
		if (!ctx.channel().isActive()) {
			discardReady();
			return;
		}
		PendingReply head;
		while ((head = this.pending.peek()) != null && head.reply != null) {
			this.pending.poll();
			this.inFlight.decrement();
			ByteBuf reply = head.reply;
			head.reply = null;
			if (head.closeAfter) {
				this.closing = true;
				ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
				discardAll();
				return;
			}
			ctx.write(reply, ctx.voidPromise());
			scheduleFlush();
		}
		maybeResume();
	}

	private void scheduleFlush() {
		if (!this.flushScheduled) {
			this.flushScheduled = true;
			this.ctx.executor().execute(this.flush);
		}
	}

	private void flush() {
		this.flushScheduled = false;
		this.ctx.flush();
	}

	void backendWritable() {
		this.backendBlocked = false;
		maybeResume();
	}

	private void maybeResume() {
		var channel = this.ctx.channel();
		if (!this.closing && !channel.config().isAutoRead() && !this.backendBlocked && channel.isWritable()
				&& this.pending.size() <= MAX_PENDING / 2) {
			channel.config().setAutoRead(true);
		}
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		if (!ctx.channel().isWritable()) {
			ctx.channel().config().setAutoRead(false);
		}
		else {
			maybeResume();
		}
		ctx.fireChannelWritabilityChanged();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof DecoderException && !this.closing) {
			// answer everything before it, then the error, then close (as Redis does)
			Throwable root = (cause.getCause() instanceof RespProtocolException) ? cause.getCause() : cause;
			String message = (root instanceof RespProtocolException) ? root.getMessage() : "invalid request";
			logger.debug("Protocol error from {}: {}", ctx.channel().remoteAddress(), message);
			ctx.channel().config().setAutoRead(false);
			PendingReply slot = enqueue(true);
			this.closing = true;
			slot.onReply(Replies.error(ctx.alloc(), "ERR Protocol error: " + message));
			return;
		}
		logger.debug("Client {} failed", ctx.channel().remoteAddress(), cause);
		ctx.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		this.closing = true;
		discardAll();
		ctx.fireChannelInactive();
	}

	private void discardReady() {
		PendingReply head;
		while ((head = this.pending.peek()) != null && head.reply != null) {
			this.pending.poll();
			this.inFlight.decrement();
			head.reply.release();
			head.reply = null;
		}
	}

	/**
	 * Drops every slot; replies still on their way are released by {@link PendingReply}.
	 */
	private void discardAll() {
		PendingReply slot;
		while ((slot = this.pending.poll()) != null) {
			this.inFlight.decrement();
			if (slot.reply != null) {
				slot.reply.release();
				slot.reply = null;
			}
			slot.abandon();
		}
	}

}
