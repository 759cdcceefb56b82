package dev.outrigger.ambassador.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;

import dev.outrigger.ambassador.Shard;

/**
 * Active PING probes, one connection per shard. A +PONG clears the shard's failures and
 * is the only way an ejected shard re-enters the ring; failed probes count like failed
 * requests.
 */
final class HealthChecker {

	private static final ByteBuf PING = Unpooled.unreleasableBuffer(Unpooled.directBuffer()
		.writeBytes("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII))
		.asReadOnly());

	private static final ByteBuf PONG = Unpooled.wrappedBuffer("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));

	private final List<ScheduledFuture<?>> schedules = new ArrayList<>();

	private final List<Runnable> closers = new ArrayList<>();

	void start(EventLoopGroup group, RespProxySettings settings, Map<Shard, ShardHealth> health) {
		long period = settings.healthCheckInterval().toNanos();
		health.forEach((shard, shardHealth) -> {
			EventLoop loop = group.next();
			BackendConnection probe = new BackendConnection(shard, loop, settings, shardHealth, true);
			boolean[] outstanding = new boolean[1];
			Runnable check = () -> {
				if (outstanding[0]) {
					return; // the previous probe is still waiting for its deadline
				}
				outstanding[0] = true;
				probe.send(PING.duplicate(), (reply) -> {
					outstanding[0] = false;
					try {
						if (ByteBufUtil.equals(reply, PONG)) {
							shardHealth.probeSucceeded();
						}
					}
					finally {
						reply.release();
					}
				});
			};
			this.schedules.add(loop.scheduleAtFixedRate(check, 0, period, TimeUnit.NANOSECONDS));
			this.closers.add(() -> loop.execute(probe::close));
		});
	}

	void stop() {
		this.schedules.forEach((schedule) -> schedule.cancel(false));
		this.closers.forEach(Runnable::run);
	}

}
