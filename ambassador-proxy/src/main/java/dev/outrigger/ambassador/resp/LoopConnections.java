package dev.outrigger.ambassador.resp;

import java.util.HashMap;
import java.util.Map;

import io.netty.channel.EventLoop;

import dev.outrigger.ambassador.Shard;

/**
 * One event loop's connections to the shards, opened on first use. Only that loop's
 * thread touches it, so it is not locked.
 */
final class LoopConnections {

	private final EventLoop loop;

	private final RespProxySettings settings;

	private final Map<Shard, ShardHealth> health;

	private final Map<Shard, BackendConnection[]> byShard = new HashMap<>();

	LoopConnections(EventLoop loop, RespProxySettings settings, Map<Shard, ShardHealth> health) {
		this.loop = loop;
		this.settings = settings;
		this.health = health;
	}

	/**
	 * The connection for {@code shard}; {@code affinity} (the client) picks one of the
	 * pool, so one client's commands to a shard keep their order.
	 */
	BackendConnection connection(Shard shard, int affinity) {
		BackendConnection[] connections = this.byShard.get(shard);
		if (connections == null) {
			connections = new BackendConnection[this.settings.connectionsPerShard()];
			for (int i = 0; i < connections.length; i++) {
				connections[i] = new BackendConnection(shard, this.loop, this.settings, this.health.get(shard), false);
			}
			this.byShard.put(shard, connections);
		}
		return connections[Math.floorMod(affinity, connections.length)];
	}

	/** Closes every connection, on the loop that owns them. */
	void close() {
		this.loop.execute(() -> this.byShard.values().forEach((connections) -> {
			for (BackendConnection connection : connections) {
				connection.close();
			}
		}));
	}

}
