package dev.outrigger.ambassador.testing;

import java.io.IOException;

import dev.outrigger.ambassador.Shard;
import dev.outrigger.testsupport.process.RedisServer;
import dev.outrigger.testsupport.process.ServerProcess;

/**
 * What the proxy's tests need of a loopback server besides starting it: its shard, a
 * direct client.
 */
public final class RedisShards {

	private RedisShards() {
	}

	/**
	 * The shard a proxy would configure for {@code server}: named host:port, weight 1.
	 */
	public static Shard shard(ServerProcess server) {
		return new Shard("127.0.0.1:" + server.port(), "127.0.0.1", server.port(), 1);
	}

	/**
	 * A direct connection, bypassing any proxy; authenticated if the server has a
	 * password.
	 */
	public static RespClient direct(RedisServer server) throws IOException {
		RespClient client = new RespClient(server.port());
		if (server.password() != null) {
			client.call("AUTH", server.password());
		}
		return client;
	}

}
