package dev.outrigger.ambassador.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.outrigger.ambassador.Shard;
import dev.outrigger.ambassador.ShardedProxy;
import dev.outrigger.ambassador.ring.ShardRing;
import org.jspecify.annotations.Nullable;

/**
 * HTTP sharding's parts: the ring over the HTTP shards, how keys are found, the health
 * probes, and the client that forwards.
 */
public final class HttpSharding implements ShardedProxy, AutoCloseable {

	private final ShardRing ring;

	private final HttpShardHealth health;

	private final HttpClient client;

	private final HttpShardingFilter filter;

	public HttpSharding(ShardRing ring, KeySource keySource, HttpShardingFilter.MissingKey missingKey,
			HttpShardHealth health, HttpClient client, int port, Duration timeout) {
		this.ring = ring;
		this.health = health;
		this.client = client;
		this.filter = new HttpShardingFilter(port, ring, keySource, missingKey, health, client, timeout);
	}

	public HttpShardingFilter filter() {
		return this.filter;
	}

	/** Ready when at least one HTTP shard is up. */
	public boolean ready() {
		return this.health.states().containsValue(true);
	}

	@Override
	public String kind() {
		return "http";
	}

	@Override
	public @Nullable String notReady() {
		return ready() ? null : "HTTP: no HTTP shard passes its health check";
	}

	@Override
	public List<HttpShardStatus> shards() {
		Map<Shard, Double> shares = this.ring.shares();
		return this.ring.shards()
			.stream()
			.map((shard) -> new HttpShardStatus(shard.name(), shard.address(), this.health.isUp(shard) ? "UP" : "DOWN",
					shares.getOrDefault(shard, 0.0)))
			.toList();
	}

	@Override
	public void close() {
		this.health.close();
		this.client.close();
	}

	/**
	 * One HTTP shard as {@code GET /shards} shows it.
	 *
	 * @param name its ring name
	 * @param address host:port
	 * @param state UP or DOWN (health path)
	 * @param ringShare its fraction of the ring
	 */
	public record HttpShardStatus(String name, String address, String state, double ringShare) {
	}

}
