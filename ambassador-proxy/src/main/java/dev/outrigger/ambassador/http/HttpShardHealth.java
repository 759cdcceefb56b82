package dev.outrigger.ambassador.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.outrigger.ambassador.Shard;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Probes every HTTP shard's health path; any answer below 500 counts as up. Down shards
 * keep their keys (requests for them answer 502 at once) — data stays where it is.
 */
public final class HttpShardHealth implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(HttpShardHealth.class);

	private final List<Shard> shards;

	private final String healthPath;

	private final HttpClient client;

	private final Map<Shard, Boolean> up = new ConcurrentHashMap<>();

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("http-shard-health").factory());

	public HttpShardHealth(List<Shard> shards, String healthPath, HttpClient client, Duration interval) {
		this.shards = List.copyOf(shards);
		this.healthPath = healthPath;
		this.client = client;
		shards.forEach((shard) -> this.up.put(shard, true));
		this.scheduler.scheduleWithFixedDelay(this::probeAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	public boolean isUp(Shard shard) {
		return this.up.getOrDefault(shard, false);
	}

	public Map<Shard, Boolean> states() {
		return Map.copyOf(this.up);
	}

	private void probeAll() {
		for (Shard shard : this.shards) {
			boolean now = probe(shard);
			Boolean before = this.up.put(shard, now);
			if (before != null && before != now) {
				logger.warn("HTTP shard " + shard.name() + " (" + shard.address() + ") is " + (now ? "up" : "down"));
			}
		}
	}

	private boolean probe(Shard shard) {
		try {
			HttpResponse<Void> response = this.client
				.send(HttpRequest.newBuilder(URI.create("http://" + shard.address() + this.healthPath))
					.timeout(Duration.ofSeconds(2))
					.GET()
					.build(), HttpResponse.BodyHandlers.discarding());
			return response.statusCode() < 500;
		}
		catch (java.io.IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
