package dev.outrigger.ambassador.resp;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outrigger.ambassador.Shard;
import dev.outrigger.ambassador.ring.ShardRing;

/** The ring in use: the configured one minus ejected shards. Lookups are lock-free. */
final class RingHolder {

	private static final Logger logger = LoggerFactory.getLogger(RingHolder.class);

	/**
	 * Keys in direct buffers are copied here to reach the ring's byte[] API without
	 * garbage.
	 */
	private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
		@Override
		protected byte[] initialValue() {
			return new byte[256];
		}
	};

	private final ShardRing configured;

	private final Set<Shard> ejected = new HashSet<>();

	private final Counter changes;

	private volatile ShardRing current;

	RingHolder(ShardRing configured, MeterRegistry meters) {
		this.configured = configured;
		this.current = configured;
		this.changes = Counter.builder("outrigger.ambassador.ring.changes")
			.description("Ejections and re-admissions that rebuilt the ring")
			.register(meters);
	}

	Shard locate(ByteBuf buf, int index, int length) {
		ShardRing ring = this.current;
		if (buf.hasArray()) {
			return ring.locate(buf.array(), buf.arrayOffset() + index, length);
		}
		byte[] scratch = SCRATCH.get();
		if (scratch.length < length) {
			scratch = new byte[Math.max(length, scratch.length * 2)];
			SCRATCH.set(scratch);
		}
		buf.getBytes(index, scratch, 0, length);
		return ring.locate(scratch, 0, length);
	}

	ShardRing current() {
		return this.current;
	}

	ShardRing configured() {
		return this.configured;
	}

	/**
	 * Takes a shard out, unless it is the last one left (then its keys get errors
	 * instead).
	 */
	synchronized boolean eject(Shard shard, String why) {
		if (this.ejected.contains(shard) || this.ejected.size() + 1 >= this.configured.shards().size()) {
			return false;
		}
		this.ejected.add(shard);
		this.current = this.configured.without(Set.copyOf(this.ejected));
		this.changes.increment();
		logger.warn("Ejected shard {} ({}) from the ring: {}; its keys now go to the others", shard.name(),
				shard.address(), why);
		return true;
	}

	synchronized void readmit(Shard shard) {
		if (this.ejected.remove(shard)) {
			this.current = this.ejected.isEmpty() ? this.configured : this.configured.without(Set.copyOf(this.ejected));
			this.changes.increment();
			logger.info("Re-admitted shard {} ({}) to the ring after a successful probe", shard.name(),
					shard.address());
		}
	}

	double share(Shard shard) {
		Map<Shard, Double> shares = this.current.shares();
		return shares.getOrDefault(shard, 0.0);
	}

}
