package dev.outrigger.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.outrigger.testsupport.net.LoopbackPorts;
import dev.outrigger.testsupport.process.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ambassador container on host networking in front of three real redis-server
 * processes on loopback; the test plays the app, talking RESP to "one Redis" on
 * localhost.
 */
@Timeout(600)
class AmbassadorContainerIT {

	private static final List<RedisServer> shards = new ArrayList<>();

	private static final List<Integer> shardPorts = new ArrayList<>();

	@BeforeAll
	static void startShards() {
		for (int i = 0; i < 3; i++) {
			RedisServer redis = RedisServer.start();
			shards.add(redis);
			shardPorts.add(redis.port());
		}
	}

	@AfterAll
	static void stopShards() {
		shards.forEach(RedisServer::close);
	}

	@Test
	void theAppTalksToOneRedisAndItsKeysSpreadOverThreeShards() throws Exception {
		int listen = LoopbackPorts.free();
		String servers = String.join(",", shardPorts.stream().map((port) -> "127.0.0.1:" + port + ":1").toList());
		try (OutriggerContainer ambassador = new OutriggerContainer("ambassador-proxy")
			.withEnv("OUTRIGGER_AMBASSADOR_LISTEN", "127.0.0.1:" + listen)
			.withEnv("OUTRIGGER_AMBASSADOR_SHARDS", servers)
			// md5 spreads look-alike keys evenly; twemproxy's default fnv1a_64 (32-bit
			// arithmetic)
			// can put "user:0".."user:299" on one shard, exactly as nutcracker does
			.withEnv("OUTRIGGER_AMBASSADOR_HASH", "md5")) {
			ambassador.start();
			try (Resp app = new Resp(listen)) {
				for (int i = 0; i < 300; i++) {
					assertThat(app.call("SET", "user:" + i, "value-" + i)).isEqualTo("+OK");
				}
				for (int i = 0; i < 300; i += 37) {
					assertThat(app.call("GET", "user:" + i)).isEqualTo("$value-" + i);
				}
				assertThat(app.call("MGET", "user:1", "user:2", "nope", "user:3"))
					.isEqualTo("*[$value-1, $value-2, $nil, $value-3]");
				assertThat(app.call("DEL", "user:1", "user:2", "nope")).isEqualTo(":2");
				assertThat(app.call("MULTI")).startsWith("-ERR");
				assertThat(app.call("PING")).isEqualTo("+PONG");
			}
			long total = 0;
			String shardsPage = ambassador.http().get("/shards").body();
			for (int port : shardPorts) {
				try (Resp shard = new Resp(port)) {
					long keys = Long.parseLong(shard.call("DBSIZE").substring(1));
					assertThat(keys).as("keys on shard %d of %s; ambassador says %s", port, shardPorts, shardsPage)
						.isGreaterThan(50);
					total += keys;
				}
			}
			assertThat(total).isEqualTo(298);
			assertThat(ambassador.http().get("/shards").body()).contains("\"redis\"").contains("UP");
			assertThat(ambassador.http().get("/readyz").statusCode()).isEqualTo(200);
		}
	}

	/**
	 * The smallest RESP2 client: one command, one reply, replies rendered as short
	 * strings.
	 */
	private static final class Resp implements AutoCloseable {

		private final Socket socket;

		private final OutputStream out;

		private final BufferedReader in;

		Resp(int port) throws IOException {
			this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
			this.socket.setSoTimeout(10_000);
			this.out = this.socket.getOutputStream();
			this.in = new BufferedReader(new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
		}

		String call(String... args) throws IOException {
			StringBuilder command = new StringBuilder("*" + args.length + "\r\n");
			for (String arg : args) {
				command.append('$')
					.append(arg.getBytes(StandardCharsets.UTF_8).length)
					.append("\r\n")
					.append(arg)
					.append("\r\n");
			}
			this.out.write(command.toString().getBytes(StandardCharsets.UTF_8));
			this.out.flush();
			return read();
		}

		private String read() throws IOException {
			String line = this.in.readLine();
			return switch (line.charAt(0)) {
				case '$' -> line.equals("$-1") ? "$nil" : "$" + this.in.readLine();
				case '*' -> {
					int count = Integer.parseInt(line.substring(1));
					List<String> items = new ArrayList<>();
					for (int i = 0; i < count; i++) {
						items.add(read());
					}
					yield "*" + items;
				}
				default -> line;
			};
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
