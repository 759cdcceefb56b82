package dev.outrigger.ambassador.resp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.outrigger.ambassador.resp.ShardStatus.State;
import dev.outrigger.ambassador.testing.RedisShards;
import dev.outrigger.ambassador.testing.RespClient;
import dev.outrigger.testsupport.process.RedisServer;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(60)
/** Shards that die, come back, or need a password: fresh redis-servers per test. */
class RespProxyFaultTests {

	RedisServer a;

	RedisServer b;

	ProxyFixture fixture;

	@BeforeAll
	static void paranoid() {
		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
	}

	@BeforeEach
	void start() throws IOException, InterruptedException {
		this.a = RedisServer.start();
		this.b = RedisServer.start();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.fixture != null) {
			this.fixture.close();
		}
		this.a.close();
		this.b.close();
	}

	@Test
	void shardDownMidMgetGivesPerKeyErrorsInOrderWithoutReshuffling() throws Exception {
		this.fixture = new ProxyFixture(List.of(this.a, this.b), (settings) -> settings);
		String a0 = this.fixture.keyOn(this.a, "k", 0);
		String a1 = this.fixture.keyOn(this.a, "k", 1);
		String b0 = this.fixture.keyOn(this.b, "k", 0);
		try (RespClient client = this.fixture.client()) {
			assertThat(client.call("MSET", a0, "1", b0, "2", a1, "3")).isEqualTo("OK");
			this.b.kill();
			List<?> values = (List<?>) client.call("MGET", a0, b0, a1);
			assertThat(values.get(0)).isEqualTo("1");
			assertThat(values.get(1)).asString()
				.startsWith("-ERR shard " + RedisShards.shard(this.b).name() + " ("
						+ RedisShards.shard(this.b).address() + ") unavailable");
			assertThat(values.get(2)).isEqualTo("3");
			assertThat(client.call("DEL", a0, b0)).asString()
				.startsWith("-ERR DEL failed on 1 of 2 shards (" + RedisShards.shard(this.b).name());
			assertThat(client.call("MSET", a1, "x", b0, "y")).asString()
				.contains("MSET failed on 1 of 2 shards")
				.contains("were written");
			// ejection is off: b's keys keep failing, a's keys keep working, nothing
			// moves
			for (int i = 0; i < 10; i++) {
				assertThat(client.call("GET", b0)).asString()
					.startsWith("-ERR shard " + RedisShards.shard(this.b).name());
				assertThat(client.call("GET", a1)).isEqualTo("x");
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> status(this.b).state() == State.DOWN);
			assertThat(status(this.b).share()).isGreaterThan(0.0);
			assertThat(this.fixture.proxy.ready()).isTrue();
			// back: its data never moved, so reads find it again
			this.b.restart();
			try (RespClient direct = RedisShards.direct(this.b)) {
				direct.call("SET", b0, "again");
			}
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(client.call("GET", b0)).isEqualTo("again"));
		}
	}

	@Test
	void autoEjectionTakesAFailingShardOutAndOnlyAProbeBringsItBack() throws Exception {
		this.fixture = new ProxyFixture(List.of(this.a, this.b), (s) -> new RespProxySettings(s.listen(),
				s.requestTimeout(), s.connectTimeout(), 1, null, true, 2, Duration.ofMillis(200), 65536, 4096, 2));
		await().atMost(Duration.ofSeconds(5)).until(() -> status(this.b).state() == State.UP);
		String b0 = this.fixture.keyOn(this.b, "k", 0);
		try (RespClient client = this.fixture.client()) {
			this.b.kill();
			await().atMost(Duration.ofSeconds(5)).until(() -> status(this.b).state() == State.EJECTED);
			assertThat(status(this.b).share()).isZero();
			assertThat(this.fixture.meters.get("outrigger.ambassador.ejections")
				.tag("shard", RedisShards.shard(this.b).name())
				.counter()
				.count()).isEqualTo(1.0);
			// its keys now live on the survivor
			assertThat(client.call("SET", b0, "moved")).isEqualTo("OK");
			try (RespClient direct = RedisShards.direct(this.a)) {
				assertThat(direct.call("GET", b0)).isEqualTo("moved");
			}
			// no blind re-admission while it is still down (several probe intervals)
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(2))
				.until(() -> status(this.b).state() == State.EJECTED);
			// back up: a successful probe re-admits it
			this.b.restart();
			await().atMost(Duration.ofSeconds(5)).until(() -> status(this.b).state() == State.UP);
			assertThat(status(this.b).share()).isGreaterThan(0.0);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(client.call("GET", b0)).isNull());
			// flapping: down again, out again, counted again
			this.b.kill();
			await().atMost(Duration.ofSeconds(5)).until(() -> status(this.b).state() == State.EJECTED);
			assertThat(this.fixture.meters.get("outrigger.ambassador.ejections")
				.tag("shard", RedisShards.shard(this.b).name())
				.counter()
				.count()).isEqualTo(2.0);
			assertThat(this.fixture.meters.get("outrigger.ambassador.ring.changes").counter().count()).isEqualTo(3.0);
			assertThat(client.call("GET", b0)).isEqualTo("moved");
		}
	}

	@Test
	void stoppedShardTimesOutWhileTheOtherAnswers() throws Exception {
		this.fixture = new ProxyFixture(List.of(this.a, this.b), (settings) -> settings);
		String a0 = this.fixture.keyOn(this.a, "k", 0);
		String b0 = this.fixture.keyOn(this.b, "k", 0);
		try (RespClient client = this.fixture.client()) {
			assertThat(client.call("MSET", a0, "1", b0, "2")).isEqualTo("OK");
			this.b.pause();
			try {
				client.sendRaw(RespProxyTests.concat(RespClient.encode("GET", b0), RespClient.encode("GET", a0),
						RespClient.encode("MGET", a0, b0), RespClient.encode("GET", a0)));
				assertThat(client.read()).asString()
					.startsWith("-ERR timeout from shard " + RedisShards.shard(this.b).name());
				assertThat(client.read()).isEqualTo("1");
				List<?> values = (List<?>) client.read();
				assertThat(values.get(0)).isEqualTo("1");
				assertThat(values.get(1)).asString().startsWith("-ERR timeout");
				assertThat(client.read()).isEqualTo("1");
			}
			finally {
				this.b.resume();
			}
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(client.call("GET", b0)).isEqualTo("2"));
		}
	}

	@Test
	void authenticatesToAPasswordProtectedShard() throws Exception {
		this.a.close();
		this.b.close();
		this.a = RedisServer.start("s3cret");
		this.b = RedisServer.start("s3cret");
		this.fixture = new ProxyFixture(List.of(this.a, this.b),
				(s) -> new RespProxySettings(s.listen(), s.requestTimeout(), s.connectTimeout(), 2, "s3cret", false, 3,
						s.healthCheckInterval(), 65536, 4096, 2));
		String a0 = this.fixture.keyOn(this.a, "k", 0);
		String b0 = this.fixture.keyOn(this.b, "k", 0);
		try (RespClient client = this.fixture.client()) {
			assertThat(client.call("MSET", a0, "1", b0, "2")).isEqualTo("OK");
			assertThat(client.call("MGET", a0, b0)).isEqualTo(List.of("1", "2"));
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> status(this.a).state() == State.UP && status(this.b).state() == State.UP);
	}

	@Test
	void wrongPasswordFailsRequestsButNotTheClient() throws Exception {
		this.a.close();
		this.a = RedisServer.start("s3cret");
		this.fixture = new ProxyFixture(List.of(this.a), (s) -> new RespProxySettings(s.listen(), s.requestTimeout(),
				s.connectTimeout(), 1, "wrong", false, 3, s.healthCheckInterval(), 65536, 4096, 2));
		try (RespClient client = this.fixture.client()) {
			assertThat(client.call("GET", "k")).asString().startsWith("-");
			assertThat(client.call("PING")).isEqualTo("PONG");
		}
		assertThat(this.fixture.proxy.ready()).isFalse();
	}

	@Test
	void drainStopsAcceptingButServesOpenConnections() throws Exception {
		this.fixture = new ProxyFixture(List.of(this.a, this.b), (settings) -> settings);
		InetSocketAddress address = this.fixture.proxy.boundAddress();
		try (RespClient client = this.fixture.client()) {
			// one round trip first: a connection still in the listen backlog is reset
			// when the listener closes
			assertThat(client.call("PING")).isEqualTo("PONG");
			this.fixture.proxy.stopAccepting();
			assertThat(client.call("SET", "drain", "1")).isEqualTo("OK");
			assertThat(this.fixture.proxy.awaitIdle(Duration.ofSeconds(1))).isTrue();
			assertThatThrownBy(() -> new RespClient(address).close()).isInstanceOf(IOException.class);
			assertThat(this.fixture.proxy.ready()).isFalse();
		}
	}

	@Test
	void startFailsClearlyWhenThePortIsTaken() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
			ProxyFixture other = new ProxyFixture(List.of(this.a), (settings) -> settings);
			try {
				RespProxySettings settings = ProxyFixture.settings(Duration.ofSeconds(1), false, 3);
				RespProxy proxy = new RespProxy(
						new RespProxySettings(new InetSocketAddress("127.0.0.1", taken.getLocalPort()),
								settings.requestTimeout(), settings.connectTimeout(), 1, null, false, 3,
								settings.healthCheckInterval(), 1024, 1024, 1),
						other.ring, new SimpleMeterRegistry());
				assertThatThrownBy(proxy::start).isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("already in use");
			}
			finally {
				other.close();
			}
		}
	}

	private ShardStatus status(RedisServer server) {
		return this.fixture.proxy.shards()
			.stream()
			.filter((status) -> status.shard().port() == server.port())
			.findFirst()
			.orElseThrow();
	}

}
