package dev.outrigger.ambassador.resp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

import dev.outrigger.ambassador.Shard;

/**
 * Backend connections per event loop and shard: a client's commands go out on connections of
 * its own event loop (as netty's HexDumpProxy reuses the inbound loop), so no locks are needed
 * and the reply callbacks run on the client's thread.
 */
final class Backends {

	private final RespProxySettings settings;

	private final RingHolder ring;

	private final Map<Shard, ShardHealth> health;

	private final Map<EventLoop, Map<Shard, BackendConnection[]>> pools = new ConcurrentHashMap<>();

	Backends(RespProxySettings settings, RingHolder ring, Map<Shard, ShardHealth> health) {
		this.settings = settings;
		this.ring = ring;
		this.health = health;
	}

	RingHolder ring() {
		return this.ring;
	}

	/**
	 * The connection for {@code shard} on {@code loop}; {@code affinity} (the client) picks one
	 * of the pool, so one client's commands to a shard keep their order.
	 */
	BackendConnection connection(EventLoop loop, Shard shard, int affinity) {
		Map<Shard, BackendConnection[]> pool = this.pools.computeIfAbsent(loop, (key) -> new HashMap<>());
		BackendConnection[] connections = pool.computeIfAbsent(shard, (key) -> {
			BackendConnection[] created = new BackendConnection[this.settings.connectionsPerShard()];
			for (int i = 0; i < created.length; i++) {
				created[i] = new BackendConnection(shard, loop, this.settings, this.health.get(shard), false);
			}
			return created;
		});
		return connections[Math.floorMod(affinity, connections.length)];
	}

	void send(EventLoop loop, Shard shard, int affinity, ByteBuf frame, ReplyCallback callback) {
		connection(loop, shard, affinity).send(frame, callback);
	}

	/** Closes every connection, each on its own loop. */
	void close() {
		List<Runnable> closers = new ArrayList<>();
		this.pools.forEach((loop, pool) -> closers.add(() -> loop.execute(() -> pool.values()
			.forEach((connections) -> {
				for (BackendConnection connection : connections) {
					connection.close();
				}
			}))));
		closers.forEach(Runnable::run);
	}

}
