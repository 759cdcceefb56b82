package dev.outrigger.ambassador.resp;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.outrigger.ambassador.Shard;
import dev.outrigger.ambassador.ring.Distribution;
import dev.outrigger.ambassador.ring.HashFunction;
import dev.outrigger.ambassador.ring.HashTag;
import dev.outrigger.ambassador.ring.ShardRing;
import dev.outrigger.ambassador.testing.RedisShards;
import dev.outrigger.ambassador.testing.RespClient;
import dev.outrigger.testsupport.process.RedisServer;

/** A started proxy over given redis servers, and helpers to find keys per shard. */
final class ProxyFixture implements AutoCloseable {

	final ShardRing ring;

	final RespProxy proxy;

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	ProxyFixture(List<RedisServer> servers, UnaryOperator<RespProxySettings> customize) {
		List<Shard> shards = servers.stream().map(RedisShards::shard).toList();
		this.ring = ShardRing.of(shards, HashFunction.FNV1A_64, Distribution.KETAMA, HashTag.parse("{}"));
		RespProxySettings settings = customize.apply(settings(Duration.ofMillis(300), false, 3));
		this.proxy = new RespProxy(settings, this.ring, this.meters);
		this.proxy.start();
	}

	static RespProxySettings settings(Duration timeout, boolean autoEject, int failureLimit) {
		return new RespProxySettings(new InetSocketAddress("127.0.0.1", 0), timeout, Duration.ofMillis(500), 1, null,
				autoEject, failureLimit, Duration.ofMillis(200), 64 * 1024, 4096, 2);
	}

	RespClient client() throws java.io.IOException {
		return new RespClient(this.proxy.boundAddress());
	}

	/**
	 * The {@code n}th key (prefix-i) that the configured ring places on {@code server}.
	 */
	String keyOn(RedisServer server, String prefix, int n) {
		int found = 0;
		for (int i = 0;; i++) {
			String key = prefix + "-" + i;
			if (this.ring.locate(key.getBytes(StandardCharsets.UTF_8)).port() == server.port() && found++ == n) {
				return key;
			}
		}
	}

	@Override
	public void close() {
		this.proxy.close();
	}

}
