package dev.outrigger.ambassador.resp;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outrigger.ambassador.Shard;
import dev.outrigger.ambassador.ShardedProxy;
import dev.outrigger.ambassador.ring.ShardRing;

/**
 * The Redis (RESP2) sharding proxy: parses client commands only far enough to find their
 * keys, forwards the original bytes to the shard the ring picks, and returns replies in
 * request order. Built with {@code new}; Spring only wires and drives the lifecycle.
 */
public final class RespProxy implements ShardedProxy, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RespProxy.class);

	private final RespProxySettings settings;

	private final RingHolder ring;

	private final Map<Shard, ShardHealth> health = new LinkedHashMap<>();

	private final Backends backends;

	private final HealthChecker healthChecker = new HealthChecker();

	private final LongAdder inFlight = new LongAdder();

	private final AtomicInteger clients = new AtomicInteger();

	private @Nullable EventLoopGroup group;

	private volatile @Nullable Channel server;

	private volatile @Nullable InetSocketAddress bound;

	public RespProxy(RespProxySettings settings, ShardRing ring, MeterRegistry meters) {
		this.settings = settings;
		this.ring = new RingHolder(ring, meters);
		for (Shard shard : ring.shards()) {
			this.health.put(shard, new ShardHealth(shard, this.ring, settings, meters));
		}
		this.backends = new Backends(settings, this.ring, this.health);
		Gauge.builder("outrigger.ambassador.client.connections", this.clients, AtomicInteger::get)
			.description("Open client connections")
			.register(meters);
	}

	/** Binds the listener and starts the health checks. */
	public synchronized void start() {
		if (this.group != null) {
			throw new IllegalStateException("RESP proxy already started");
		}
		Transport transport = Transport.best();
		// few loops (Netty's default is two per core): on a sidecar's small CPU share,
		// more loops
		// mostly add wake-ups and split the batches written to each shard
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(this.settings.eventLoops(),
				transport.ioHandlerFactory());
		ServerBootstrap bootstrap = new ServerBootstrap().group(group)
			.channel(transport.serverChannel())
			.option(ChannelOption.SO_BACKLOG, 512)
			.option(ChannelOption.SO_REUSEADDR, true)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel ch) {
					ch.pipeline()
						.addLast("connections", new ConnectionCounter())
						.addLast("decoder",
								new RespCommandDecoder(RespProxy.this.settings.maxBulkLength(),
										RespProxy.this.settings.maxInlineLength()))
						.addLast("session", new ClientSession(RespProxy.this.backends, RespProxy.this.inFlight));
				}
			});
		try {
			Channel channel = bootstrap.bind(this.settings.listen()).syncUninterruptibly().channel();
			this.server = channel;
			this.bound = (InetSocketAddress) channel.localAddress();
		}
		catch (Exception ex) {
			group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
			if (ex instanceof BindException) {
				throw new IllegalStateException("RESP proxy cannot listen on " + this.settings.listen()
						+ ": the address is already in use (set another port)", ex);
			}
			throw new IllegalStateException("RESP proxy cannot listen on " + this.settings.listen() + ": " + ex, ex);
		}
		this.group = group;
		this.healthChecker.start(group, this.settings, this.health);
		logger.info("RESP proxy listening on {} for {} shards", this.bound, this.health.size());
	}

	/** Drain step 1: no new clients; open connections keep being served. */
	public void stopAccepting() {
		Channel channel = this.server;
		if (channel != null) {
			channel.close().syncUninterruptibly();
			this.server = null;
		}
	}

	/** Drain step 2: waits until no request is in flight. */
	public boolean awaitIdle(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.inFlight.sum() > 0) {
			if (System.nanoTime() >= deadline) {
				return false;
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	@Override
	public synchronized void close() {
		stopAccepting();
		EventLoopGroup group = this.group;
		if (group == null) {
			return;
		}
		this.healthChecker.stop();
		this.backends.close();
		group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
		this.group = null;
	}

	@Override
	public String kind() {
		return "redis";
	}

	@Override
	public List<ShardStatus> shards() {
		return this.health.values().stream().map(ShardHealth::status).toList();
	}

	@Override
	public @Nullable String notReady() {
		return ready() ? null : "RESP: not listening, or no Redis shard is up";
	}

	/**
	 * Drain: no new clients, then wait for the requests in flight on open connections.
	 */
	@Override
	public void drain(Duration deadline) {
		stopAccepting();
		awaitIdle(deadline);
	}

	/** Listening, and at least one shard answering. */
	public boolean ready() {
		return this.server != null
				&& this.health.values().stream().anyMatch((shard) -> shard.state() == ShardStatus.State.UP);
	}

	public InetSocketAddress boundAddress() {
		InetSocketAddress address = this.bound;
		if (address == null) {
			throw new IllegalStateException("RESP proxy not started");
		}
		return address;
	}

	/** Counts open client connections for the gauge. */
	private final class ConnectionCounter extends ChannelInboundHandlerAdapter {

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			RespProxy.this.clients.incrementAndGet();
			ctx.fireChannelActive();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			RespProxy.this.clients.decrementAndGet();
			ctx.fireChannelInactive();
		}

	}

}
