package dev.outrigger.ambassador.resp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.EventLoop;

import dev.outrigger.ambassador.Shard;

/**
 * Backend connections per event loop and shard: a client's commands go out on connections
 * of its own event loop (as netty's HexDumpProxy reuses the inbound loop), so no locks
 * are needed and the reply callbacks run on the client's thread.
 */
final class Backends {

	private final RespProxySettings settings;

	private final RingHolder ring;

	private final Map<Shard, ShardHealth> health;

	private final Map<EventLoop, LoopConnections> loops = new ConcurrentHashMap<>();

	Backends(RespProxySettings settings, RingHolder ring, Map<Shard, ShardHealth> health) {
		this.settings = settings;
		this.ring = ring;
		this.health = health;
	}

	RingHolder ring() {
		return this.ring;
	}

	/** The connections of {@code loop}, for a client session on that loop to keep. */
	LoopConnections on(EventLoop loop) {
		return this.loops.computeIfAbsent(loop, (key) -> new LoopConnections(loop, this.settings, this.health));
	}

	/** Closes every connection, each on its own loop. */
	void close() {
		this.loops.values().forEach(LoopConnections::close);
	}

}
