package dev.outrigger.ambassador.resp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outrigger.ambassador.Shard;
import dev.outrigger.kit.Backoff;

/**
 * One multiplexed, pipelined connection to a shard, owned by one event loop (all methods
 * run there, so nothing is locked). Requests are queued in send order and replies matched
 * to them in the same order.
 * <p>
 * Timeouts: each request has its own deadline. An expired request is answered
 * {@code -ERR timeout from shard <name>} at once but stays in the queue, marked; when the
 * late reply arrives it is matched to that entry and discarded, so the queue stays
 * aligned with the shard and requests behind it (from other clients) keep their chance.
 * Only if the shard stays silent well past the deadline (the connection looks stuck) is
 * the connection closed, failing what is still queued; the next request reconnects.
 */
final class BackendConnection {

	private static final Transport TRANSPORT = Transport.best();

	private static final Logger logger = LoggerFactory.getLogger(BackendConnection.class);

	/**
	 * Waits before reconnecting after consecutive failed connections: 50 ms doubling to 5
	 * s.
	 */
	private static final Backoff RECONNECT_BACKOFF = Backoff.doubling(Duration.ofMillis(50), Duration.ofSeconds(5));

	private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

	private enum State {

		IDLE, CONNECTING, ACTIVE

	}

	/** One request in the queue. */
	private static final class InFlight {

		final ReplyCallback callback;

		/** When it was flushed to the shard; the deadline counts from there. */
		long sentNanos;

		long deadlineNanos = Long.MAX_VALUE;

		@Nullable ByteBuf unsent;

		boolean timedOut;

		/** The proxy's own AUTH: its answer says nothing about the shard's health. */
		boolean internal;

		InFlight(ReplyCallback callback, @Nullable ByteBuf unsent) {
			this.callback = callback;
			this.unsent = unsent;
		}

	}

	private final Shard shard;

	private final EventLoop loop;

	private final RespProxySettings settings;

	private final ShardHealth health;

	/** Probe connections retry on every probe; request connections back off. */
	private final boolean probe;

	private final ArrayDeque<InFlight> queue = new ArrayDeque<>();

	/** Client sessions paused because this connection's buffer was full. */
	private final Set<ClientSession> paused = new LinkedHashSet<>();

	private final long timeoutNanos;

	private final long stuckNanos;

	private State state = State.IDLE;

	private @Nullable Channel channel;

	private @Nullable ScheduledFuture<?> timer;

	private boolean flushScheduled;

	/** One task object for every scheduled flush. */
	private final Runnable scheduledFlush = this::scheduledFlush;

	/**
	 * Entries at the tail written since the last flush: their clocks start at the flush.
	 */
	private int unflushed;

	private int failedConnections;

	private long retryAtNanos;

	private String lastFailure = "not connected";

	private boolean closed;

	BackendConnection(Shard shard, EventLoop loop, RespProxySettings settings, ShardHealth health, boolean probe) {
		this.shard = shard;
		this.loop = loop;
		this.settings = settings;
		this.health = health;
		this.probe = probe;
		this.timeoutNanos = settings.requestTimeout().toNanos();
		this.stuckNanos = Math.max(10 * this.timeoutNanos, TimeUnit.SECONDS.toNanos(10));
	}

	Shard shard() {
		return this.shard;
	}

	/**
	 * Queues {@code frame} (ownership passes here); {@code callback} gets exactly one
	 * reply.
	 */
	void send(ByteBuf frame, ReplyCallback callback) {
		assert this.loop.inEventLoop();
		if (this.closed) {
			frame.release();
			fail(callback, "proxy is shutting down");
			return;
		}
		if (this.state == State.IDLE) {
			if (!this.probe && System.nanoTime() < this.retryAtNanos) {
				frame.release();
				fail(callback, this.lastFailure);
				return;
			}
			connect();
		}
		InFlight entry = new InFlight(callback, null);
		this.queue.add(entry);
		this.unflushed++;
		if (this.state == State.ACTIVE) {
			this.channel.write(frame, this.channel.voidPromise());
			scheduleFlush();
		}
		else {
			// written and flushed by connected()
			entry.unsent = frame;
		}
	}

	/** Whether a client should stop reading until this connection drains. */
	boolean saturated() {
		return this.channel != null && this.state == State.ACTIVE && !this.channel.isWritable();
	}

	void pauseUntilWritable(ClientSession session) {
		this.paused.add(session);
	}

	void close() {
		this.closed = true;
		if (this.channel != null) {
			this.channel.close();
		}
		failQueue("proxy is shutting down");
	}

	private void connect() {
		this.state = State.CONNECTING;
		Bootstrap bootstrap = new Bootstrap().group(this.loop)
			.channel(TRANSPORT.socketChannel())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.settings.connectTimeout().toMillis())
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.SO_KEEPALIVE, true)
			.option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel ch) {
					ch.pipeline().addLast(new RespReplyDecoder(), new Handler());
				}
			});
		ChannelFuture future = bootstrap.connect(this.shard.host(), this.shard.port());
		Channel ch = future.channel();
		this.channel = ch;
		future.addListener((ChannelFuture f) -> {
			if (this.channel != ch) {
				return;
			}
			if (f.isSuccess()) {
				connected(ch);
			}
			else {
				connectionLost(ch, describe(f.cause()));
			}
		});
	}

	private void connected(Channel ch) {
		this.state = State.ACTIVE;
		this.failedConnections = 0;
		String password = this.settings.password();
		if (password != null) {
			// AUTH goes first; the requests queued behind it are pipelined right after
			InFlight authEntry = new InFlight(this::authenticated, null);
			authEntry.internal = true;
			this.queue.addFirst(authEntry);
			this.unflushed++;
			ByteBuf auth = ch.alloc().buffer();
			Replies.writeArrayHeader(auth, 2);
			Replies.writeBulk(auth, "AUTH");
			byte[] secret = password.getBytes(StandardCharsets.UTF_8);
			auth.writeByte('$').writeBytes(Integer.toString(secret.length).getBytes(StandardCharsets.US_ASCII));
			auth.writeByte('\r').writeByte('\n').writeBytes(secret).writeByte('\r').writeByte('\n');
			ch.write(auth, ch.voidPromise());
		}
		for (Iterator<InFlight> it = this.queue.iterator(); it.hasNext();) {
			InFlight entry = it.next();
			ByteBuf frame = entry.unsent;
			if (frame == null) {
				continue;
			}
			entry.unsent = null;
			if (entry.timedOut) {
				// already answered; the shard never needs to see it
				frame.release();
				it.remove();
			}
			else {
				ch.write(frame, ch.voidPromise());
			}
		}
		flushNow();
	}

	private void authenticated(ByteBuf reply) {
		try {
			if (Replies.isError(reply)) {
				String why = "AUTH failed: " + Replies.firstLine(reply);
				logger.warn("Shard {} ({}): {}", this.shard.name(), this.shard.address(), why);
				if (this.channel != null) {
					connectionLost(this.channel, why);
				}
			}
		}
		finally {
			reply.release();
		}
	}

	private void replied(ByteBuf reply) {
		InFlight entry = this.queue.poll();
		if (entry == null) {
			reply.release();
			connectionLost(this.channel, "unsolicited reply");
			return;
		}
		if (entry.timedOut) {
			// the late reply of a request already answered with a timeout
			reply.release();
			return;
		}
		if (!entry.internal) {
			this.health.answered(System.nanoTime() - entry.sentNanos, Replies.isError(reply));
		}
		entry.callback.onReply(reply);
	}

	private void connectionLost(@Nullable Channel ch, String why) {
		if (ch == null || this.channel != ch) {
			return;
		}
		this.channel = null;
		this.state = State.IDLE;
		this.lastFailure = why;
		this.failedConnections++;
		this.retryAtNanos = System.nanoTime() + RECONNECT_BACKOFF.delay(this.failedConnections).toNanos();
		ch.close();
		if (!this.closed) {
			this.health.transportFailed(why);
		}
		failQueue(why);
		resumePaused();
	}

	private void failQueue(String why) {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
		this.unflushed = 0;
		InFlight entry;
		while ((entry = this.queue.poll()) != null) {
			if (entry.unsent != null) {
				entry.unsent.release();
				entry.unsent = null;
			}
			if (!entry.timedOut) {
				fail(entry.callback, why);
			}
		}
	}

	private void fail(ReplyCallback callback, String why) {
		this.health.requestFailed();
		callback.onReply(Replies.error(io.netty.buffer.ByteBufAllocator.DEFAULT,
				"ERR shard " + this.shard.name() + " (" + this.shard.address() + ") unavailable: " + why));
	}

	private void armTimer() {
		if (this.timer != null || this.closed) {
			return;
		}
		for (InFlight entry : this.queue) {
			if (entry.deadlineNanos == Long.MAX_VALUE) {
				return; // not flushed yet; flushNow() arms the timer
			}
			if (!entry.timedOut) {
				long delay = Math.max(0, entry.deadlineNanos - System.nanoTime());
				this.timer = this.loop.schedule(this::expire, delay, TimeUnit.NANOSECONDS);
				return;
			}
		}
	}

	/** Answers every request past its deadline; deadlines are in queue order. */
	private void expire() {
		this.timer = null;
		long now = System.nanoTime();
		InFlight head = this.queue.peek();
		if (head != null && head.timedOut && now - head.deadlineNanos > this.stuckNanos && this.channel != null) {
			connectionLost(this.channel,
					"no reply for " + TimeUnit.NANOSECONDS.toMillis(now - head.sentNanos) + " ms; connection recycled");
			return;
		}
		boolean expired = false;
		for (InFlight entry : this.queue) {
			if (entry.timedOut) {
				continue;
			}
			if (entry.deadlineNanos > now) {
				break;
			}
			entry.timedOut = true;
			expired = true;
			this.health.requestFailed();
			entry.callback.onReply(Replies.error(io.netty.buffer.ByteBufAllocator.DEFAULT,
					"ERR timeout from shard " + this.shard.name() + " (" + this.shard.address() + ") after "
							+ this.settings.requestTimeout().toMillis() + " ms"));
		}
		if (expired) {
			this.health.transportFailed("request timed out");
		}
		armTimer();
		if (this.timer == null && !this.queue.isEmpty()) {
			// only expired entries left: check again for a stuck connection
			this.timer = this.loop.schedule(this::expire, this.stuckNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void scheduleFlush() {
		if (!this.flushScheduled) {
			this.flushScheduled = true;
			// runs after this loop iteration's reads: one flush per batch of client
			// commands
			this.loop.execute(this.scheduledFlush);
		}
	}

	private void scheduledFlush() {
		this.flushScheduled = false;
		flushNow();
	}

	/**
	 * Flushes and starts the clocks of what was just written. Deadlines count from here,
	 * not from when a command was read: a busy event loop that has not flushed yet, or
	 * has not yet read replies that did arrive, must not turn into shard timeouts.
	 */
	private void flushNow() {
		Channel ch = this.channel;
		if (ch == null || this.state != State.ACTIVE) {
			return;
		}
		ch.flush();
		long now = System.nanoTime();
		Iterator<InFlight> it = this.queue.descendingIterator();
		for (int i = 0; i < this.unflushed && it.hasNext(); i++) {
			InFlight entry = it.next();
			entry.sentNanos = now;
			entry.deadlineNanos = now + this.timeoutNanos;
		}
		this.unflushed = 0;
		armTimer();
	}

	private void resumePaused() {
		if (this.paused.isEmpty()) {
			return;
		}
		ClientSession[] sessions = this.paused.toArray(new ClientSession[0]);
		this.paused.clear();
		for (ClientSession session : sessions) {
			session.backendWritable();
		}
	}

	private static String describe(Throwable cause) {
		String message = cause.getMessage();
		return (message != null) ? message : cause.getClass().getSimpleName();
	}

	/** The backend channel's inbound side. */
	private final class Handler extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (BackendConnection.this.channel != ctx.channel()) {
				((ByteBuf) msg).release();
				return;
			}
			replied((ByteBuf) msg);
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext ctx) {
			if (ctx.channel().isWritable()) {
				resumePaused();
			}
			ctx.fireChannelWritabilityChanged();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			connectionLost(ctx.channel(), "connection closed by shard");
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			logger.debug("Shard {} connection failed", BackendConnection.this.shard.name(), cause);
			connectionLost(ctx.channel(), describe(cause));
		}

	}

}
