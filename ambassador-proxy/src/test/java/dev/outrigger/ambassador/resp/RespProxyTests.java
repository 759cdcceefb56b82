package dev.outrigger.ambassador.resp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.protocol.ProtocolVersion;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.outrigger.ambassador.testing.RedisShards;
import dev.outrigger.ambassador.testing.RespClient;
import dev.outrigger.testsupport.process.RedisServer;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
/**
 * The proxy against three real redis-servers that stay up (the fault cases are
 * elsewhere).
 */
class RespProxyTests {

	static RedisServer a;

	static RedisServer b;

	static RedisServer c;

	static ProxyFixture fixture;

	@BeforeAll
	static void start() throws IOException, InterruptedException {
		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
		a = RedisServer.start();
		b = RedisServer.start();
		c = RedisServer.start();
		fixture = new ProxyFixture(List.of(a, b, c), (settings) -> settings);
	}

	@AfterAll
	static void stop() throws Exception {
		fixture.close();
		a.close();
		b.close();
		c.close();
	}

	@Test
	void getAndSetGoToTheRingsShardUnchanged() throws IOException {
		String prefix = unique();
		try (RespClient client = fixture.client()) {
			for (RedisServer server : List.of(a, b, c)) {
				String key = fixture.keyOn(server, prefix, 0);
				assertThat(client.call("SET", key, "v-" + server.port())).isEqualTo("OK");
				assertThat(client.call("GET", key)).isEqualTo("v-" + server.port());
				try (RespClient direct = RedisShards.direct(server)) {
					assertThat(direct.call("GET", key)).isEqualTo("v-" + server.port());
				}
			}
		}
	}

	@Test
	void rejectedCommandsAnswerErrAndKeepThePipelinedConnectionUsable() throws IOException {
		String prefix = unique();
		String onA = fixture.keyOn(a, prefix, 0);
		String onB = fixture.keyOn(b, prefix, 0);
		List<String[]> rejected = List.of(new String[] { "MULTI" }, new String[] { "EXEC" }, new String[] { "DISCARD" },
				new String[] { "WATCH", onA }, new String[] { "UNWATCH" }, new String[] { "BLPOP", onA, "1" },
				new String[] { "BRPOP", onA, "1" }, new String[] { "BLMOVE", onA, onA, "LEFT", "LEFT", "1" },
				new String[] { "BRPOPLPUSH", onA, onA, "1" }, new String[] { "BZPOPMIN", onA, "1" },
				new String[] { "BZPOPMAX", onA, "1" }, new String[] { "BLMPOP", "1", "1", onA, "LEFT" },
				new String[] { "BZMPOP", "1", "1", onA, "MIN" }, new String[] { "SUBSCRIBE", "ch" },
				new String[] { "PSUBSCRIBE", "ch*" }, new String[] { "PUBLISH", "ch", "m" },
				new String[] { "KEYS", "*" }, new String[] { "SCAN", "0" }, new String[] { "SELECT", "1" },
				new String[] { "FLUSHALL" }, new String[] { "FLUSHDB" }, new String[] { "INFO" },
				new String[] { "SCRIPT", "FLUSH" }, new String[] { "CLUSTER", "INFO" },
				new String[] { "SINTER", onA, onB }, new String[] { "SUNION", onA, onB },
				new String[] { "SDIFF", onA, onB }, new String[] { "RPOPLPUSH", onA, onB },
				new String[] { "LMOVE", onA, onB, "LEFT", "RIGHT" }, new String[] { "SMOVE", onA, onB, "m" },
				new String[] { "RENAME", onA, onB }, new String[] { "ZUNIONSTORE", onA, "2", onA, onB },
				new String[] { "EVAL", "return 1", "2", onA, onB }, new String[] { "EVAL", "return 1", "0" },
				new String[] { "NOSUCHCOMMAND", onA }, new String[] { "GET" }, new String[] { "MSET", onA },
				new String[] { "AUTH", "x" });
		ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
		for (String[] command : rejected) {
			pipeline.writeBytes(RespClient.encode((Object[]) command));
			pipeline.writeBytes(RespClient.encode("PING"));
		}
		pipeline.writeBytes(RespClient.encode("SET", onA, "still-works"));
		pipeline.writeBytes(RespClient.encode("GET", onA));
		try (RespClient client = fixture.client()) {
			client.sendRaw(pipeline.toByteArray());
			for (String[] command : rejected) {
				Object reply = client.read();
				assertThat(reply).as(Arrays.toString(command)).asString().startsWith("-");
				assertThat(client.read()).as("PING after " + Arrays.toString(command)).isEqualTo("PONG");
			}
			assertThat(client.read()).isEqualTo("OK");
			assertThat(client.read()).isEqualTo("still-works");
		}
	}

	@Test
	void crossShardCommandsNameTheProblem() throws IOException {
		String prefix = unique();
		try (RespClient client = fixture.client()) {
			assertThat(client.call("SINTER", fixture.keyOn(a, prefix, 0), fixture.keyOn(b, prefix, 0))).asString()
				.startsWith("-CROSSSLOT");
			assertThat(client.call("FOO")).isEqualTo(new RespClient.Error("ERR unknown command 'FOO'"));
			assertThat(client.call("BLPOP", "x", "0")).asString().startsWith("-ERR BLPOP: blocking");
		}
	}

	@Test
	void multiKeyCommandsWithAHashTagGoToOneShard() throws IOException {
		String tag = "{" + unique() + "}";
		try (RespClient client = fixture.client()) {
			assertThat(client.call("SADD", tag + "s1", "x", "y")).isEqualTo(2L);
			assertThat(client.call("SADD", tag + "s2", "y", "z")).isEqualTo(2L);
			assertThat(client.call("SINTER", tag + "s1", tag + "s2")).isEqualTo(List.of("y"));
			assertThat(client.call("EVAL", "return redis.call('GET', KEYS[1])", "2", tag + "k", tag + "s1")).isNull();
			assertThat(client.call("RPOPLPUSH", tag + "l1", tag + "l2")).isNull();
			assertThat(client.call("ZUNIONSTORE", tag + "z", "2", tag + "s1", tag + "s2")).isEqualTo(3L);
		}
	}

	@Test
	void localCommands() throws IOException {
		try (RespClient client = fixture.client()) {
			assertThat(client.call("PING")).isEqualTo("PONG");
			assertThat(client.call("PING", "hi")).isEqualTo("hi");
			assertThat(client.call("ECHO", "hello")).isEqualTo("hello");
			assertThat(client.call("SELECT", "0")).isEqualTo("OK");
			assertThat(client.call("HELLO", "3")).asString().startsWith("-NOPROTO");
			assertThat(client.call("COMMAND", "COUNT")).isInstanceOf(Long.class);
			assertThat(client.call("COMMAND", "DOCS")).isEqualTo(List.of());
			assertThat(client.call("QUIT")).isEqualTo("OK");
			assertThat(client.closedByPeer()).isTrue();
		}
	}

	@Test
	void inlineCommandsFromTelnet() throws IOException {
		String key = unique();
		try (RespClient client = fixture.client()) {
			client.sendRaw("PING\r\nSET " + key + " telnet\r\nGET " + key + "\r\n");
			assertThat(client.read()).isEqualTo("PONG");
			assertThat(client.read()).isEqualTo("OK");
			assertThat(client.read()).isEqualTo("telnet");
		}
	}

	@Test
	void mgetDelExistsMsetAcrossShards() throws IOException {
		String prefix = unique();
		String a0 = fixture.keyOn(a, prefix, 0);
		String b0 = fixture.keyOn(b, prefix, 0);
		String c0 = fixture.keyOn(c, prefix, 0);
		String a1 = fixture.keyOn(a, prefix, 1);
		try (RespClient client = fixture.client()) {
			assertThat(client.call("MSET", a0, "1", b0, "2", c0, "3", a1, "4")).isEqualTo("OK");
			try (RespClient direct = RedisShards.direct(b)) {
				assertThat(direct.call("GET", b0)).isEqualTo("2");
			}
			assertThat(client.call("MGET", c0, a0, "missing-" + prefix, b0, a1))
				.isEqualTo(Arrays.asList("3", "1", null, "2", "4"));
			assertThat(client.call("EXISTS", a0, b0, c0, a1, "missing-" + prefix, a0)).isEqualTo(5L);
			assertThat(client.call("TOUCH", a0, b0)).isEqualTo(2L);
			assertThat(client.call("DEL", a0, b0, c0)).isEqualTo(3L);
			assertThat(client.call("UNLINK", a1, b0)).isEqualTo(1L);
			assertThat(client.call("MGET", a0, b0, c0, a1)).isEqualTo(Arrays.asList(null, null, null, null));
			assertThat(client.call("MSET", a0, "x", b0)).asString().startsWith("-ERR wrong number");
		}
	}

	@Test
	void pipelineOfThousandCommandsKeepsOrder() throws IOException {
		String prefix = unique();
		ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
		for (int i = 0; i < 1000; i++) {
			pipeline.writeBytes(RespClient.encode("SET", prefix + i, "v" + i));
		}
		for (int i = 0; i < 1000; i++) {
			if (i % 10 == 0) {
				pipeline.writeBytes(RespClient.encode("MGET", prefix + i, prefix + (i + 1), prefix + (i + 2)));
			}
			else if (i % 10 == 1) {
				pipeline.writeBytes(RespClient.encode("PING"));
			}
			else {
				pipeline.writeBytes(RespClient.encode("GET", prefix + i));
			}
		}
		try (RespClient client = fixture.client()) {
			client.sendRaw(pipeline.toByteArray());
			for (int i = 0; i < 1000; i++) {
				assertThat(client.read()).isEqualTo("OK");
			}
			for (int i = 0; i < 1000; i++) {
				Object reply = client.read();
				if (i % 10 == 0) {
					assertThat(reply).isEqualTo(List.of("v" + i, "v" + (i + 1), "v" + (i + 2)));
				}
				else if (i % 10 == 1) {
					assertThat(reply).isEqualTo("PONG");
				}
				else {
					assertThat(reply).isEqualTo("v" + i);
				}
			}
		}
	}

	@Test
	void malformedRespGetsProtocolErrorThenClose() throws IOException {
		try (RespClient client = fixture.client()) {
			client.sendRaw("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n:3\r\nfoo\r\n");
			assertThat(client.read()).isEqualTo("PONG");
			assertThat(client.read()).asString().startsWith("-ERR Protocol error: expected '$'");
			assertThat(client.closedByPeer()).isTrue();
		}
	}

	@Test
	void bulkOverTheLimitGetsProtocolErrorThenClose() throws IOException {
		try (RespClient client = fixture.client()) {
			client.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + (64 * 1024 + 1) + "\r\n");
			assertThat(client.read()).isEqualTo(new RespClient.Error("ERR Protocol error: invalid bulk length"));
			assertThat(client.closedByPeer()).isTrue();
		}
	}

	@Test
	void slowShardFailsOnlyItsOwnRequestsInOrder() throws Exception {
		String prefix = unique();
		String slow1 = fixture.keyOn(a, prefix, 0);
		String slow2 = fixture.keyOn(a, prefix, 1);
		String fast = fixture.keyOn(b, prefix, 0);
		try (RespClient client = fixture.client(); RespClient directA = RedisShards.direct(a)) {
			assertThat(client.call("MSET", slow1, "s1", slow2, "s2", fast, "f")).isEqualTo("OK");
			// shard a holds every client's commands for 1 s; the proxy's deadline is 300
			// ms. Its OK
			// says the pause is in force, so the GETs below come after it (a DEBUG SLEEP
			// sent
			// without waiting could reach the shard after them)
			assertThat(directA.call("CLIENT", "PAUSE", "1000", "ALL")).isEqualTo("OK");
			long start = System.nanoTime();
			client.sendRaw(concat(RespClient.encode("GET", slow1), RespClient.encode("GET", fast),
					RespClient.encode("GET", slow2)));
			assertThat(client.read()).asString().startsWith("-ERR timeout from shard " + RedisShards.shard(a).name());
			assertThat(client.read()).isEqualTo("f");
			assertThat(client.read()).asString().startsWith("-ERR timeout from shard");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
			// the fast shard is unaffected meanwhile
			assertThat(client.call("GET", fast)).isEqualTo("f");
			// answered once the pause is over
			assertThat(directA.call("PING")).isEqualTo("PONG");
			// late replies were matched and dropped: the next answers line up again
			assertThat(client.call("GET", slow2)).isEqualTo("s2");
			assertThat(client.call("GET", slow1)).isEqualTo("s1");
		}
	}

	@Test
	void lettuceClientWorksThroughTheProxy() {
		String prefix = unique();
		RedisURI uri = RedisURI.create("127.0.0.1", fixture.proxy.boundAddress().getPort());
		RedisClient redis = RedisClient.create(uri);
		redis.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
		try (StatefulRedisConnection<String, String> connection = redis.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			List<String> keys = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				commands.set(prefix + i, "v" + i);
				keys.add(prefix + i);
			}
			List<KeyValue<String, String>> values = commands.mget(keys.toArray(String[]::new));
			assertThat(values).extracting(KeyValue::getValue)
				.containsExactlyElementsOf(keys.stream().map((key) -> "v" + key.substring(prefix.length())).toList());
			assertThat(commands.del(keys.toArray(String[]::new))).isEqualTo(20);
		}
		finally {
			redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	@Test
	void shardStatusAndReadiness() {
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(fixture.proxy::ready);
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> fixture.proxy.shards().stream().allMatch((status) -> status.state() == ShardStatus.State.UP));
		assertThat(fixture.proxy.shards()).hasSize(3)
			.allSatisfy((status) -> assertThat(status.state()).isEqualTo(ShardStatus.State.UP))
			.allSatisfy((status) -> assertThat(status.share()).isBetween(0.1, 0.6));
		assertThat(fixture.meters.find("outrigger.ambassador.client.connections").gauge()).isNotNull();
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	static String unique() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
