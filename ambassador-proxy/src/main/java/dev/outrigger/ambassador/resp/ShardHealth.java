package dev.outrigger.ambassador.resp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.outrigger.ambassador.Shard;
import dev.outrigger.ambassador.resp.ShardStatus.State;

/**
 * One shard's health and meters, shared by every event loop. Consecutive transport
 * failures (refused or dropped connections, timeouts) mark it DOWN; with auto-ejection
 * they take it out of the ring, and only a successful probe PING brings it back (never a
 * timer alone).
 */
final class ShardHealth {

	private static final Logger logger = LoggerFactory.getLogger(ShardHealth.class);

	private final Shard shard;

	private final RingHolder ring;

	private final boolean autoEject;

	private final int failureLimit;

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private final Counter ops;

	private final Counter errors;

	private final Counter ejections;

	private final Timer latency;

	private volatile State state = State.DOWN;

	private volatile String lastFailure = "";

	ShardHealth(Shard shard, RingHolder ring, RespProxySettings settings, MeterRegistry meters) {
		this.shard = shard;
		this.ring = ring;
		this.autoEject = settings.autoEject();
		this.failureLimit = settings.failureLimit();
		this.ops = Counter.builder("outrigger.ambassador.ops").tag("shard", shard.name()).register(meters);
		this.errors = Counter.builder("outrigger.ambassador.errors").tag("shard", shard.name()).register(meters);
		this.ejections = Counter.builder("outrigger.ambassador.ejections").tag("shard", shard.name()).register(meters);
		this.latency = Timer.builder("outrigger.ambassador.latency").tag("shard", shard.name()).register(meters);
	}

	Shard shard() {
		return this.shard;
	}

	State state() {
		return this.state;
	}

	String lastFailure() {
		return this.lastFailure;
	}

	/** A reply arrived in time. */
	void answered(long nanos, boolean errorReply) {
		this.ops.increment();
		this.latency.record(nanos, TimeUnit.NANOSECONDS);
		if (errorReply) {
			this.errors.increment();
		}
		if (this.consecutiveFailures.get() != 0) {
			// read first: every event loop answers here, and a write per reply would
			// bounce the line
			this.consecutiveFailures.set(0);
		}
		if (this.state == State.DOWN) {
			this.state = State.UP;
			logger.info("Shard {} ({}) is up", this.shard.name(), this.shard.address());
		}
	}

	/** A request failed without a reply from the shard (counted per request). */
	void requestFailed() {
		this.errors.increment();
	}

	/** The connection or a request deadline failed: one step towards DOWN / ejection. */
	void transportFailed(String why) {
		this.lastFailure = why;
		int failures = this.consecutiveFailures.incrementAndGet();
		if (this.state == State.UP) {
			this.state = State.DOWN;
			logger.warn("Shard {} ({}) is down: {}", this.shard.name(), this.shard.address(), why);
		}
		if (this.autoEject && failures >= this.failureLimit && this.state != State.EJECTED
				&& this.ring.eject(this.shard, failures + " consecutive failures, last: " + why)) {
			this.state = State.EJECTED;
			this.ejections.increment();
		}
	}

	/** The active probe got +PONG: the only way back into the ring. */
	void probeSucceeded() {
		this.consecutiveFailures.set(0);
		State previous = this.state;
		if (previous == State.EJECTED) {
			this.state = State.UP;
			this.ring.readmit(this.shard);
		}
		else if (previous == State.DOWN) {
			this.state = State.UP;
			logger.info("Shard {} ({}) is up", this.shard.name(), this.shard.address());
		}
	}

	ShardStatus status() {
		return new ShardStatus(this.shard, this.state, this.ring.share(this.shard), (long) this.ops.count(),
				(long) this.errors.count(), new ShardStatus.Latency(this.latency.count(),
						this.latency.mean(TimeUnit.MILLISECONDS), this.latency.max(TimeUnit.MILLISECONDS)),
				this.lastFailure);
	}

}
