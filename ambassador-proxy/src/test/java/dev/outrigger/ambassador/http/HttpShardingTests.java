package dev.outrigger.ambassador.http;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.outrigger.ambassador.Shard;
import dev.outrigger.ambassador.ring.Distribution;
import dev.outrigger.ambassador.ring.HashFunction;
import dev.outrigger.ambassador.ring.ShardRing;
import dev.outrigger.ambassador.ring.ShardSpecs;
import dev.outrigger.testsupport.http.RecordingReceiver;
import dev.outrigger.testsupport.http.RecordingReceiver.Reply;
import dev.outrigger.testsupport.net.LoopbackHttp;
import dev.outrigger.testsupport.net.LoopbackPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP sharding against three real HTTP servers on loopback, through the running
 * application.
 */
@Timeout(60)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "outrigger.ambassador.http.key=header:X-Shard-Key",
				"outrigger.ambassador.health-check-interval=200ms", "outrigger.lifecycle.exit-zero-on-sigterm=false" })
class HttpShardingTests {

	private static final List<RecordingReceiver> backends = new ArrayList<>();

	private static final int proxyPort = LoopbackPorts.free();

	private static String servers;

	@DynamicPropertySource
	static void shards(DynamicPropertyRegistry registry) throws IOException {
		List<String> specs = new ArrayList<>();
		for (String name : List.of("alpha", "beta", "gamma")) {
			RecordingReceiver server = startBackend(name, 0);
			backends.add(server);
			specs.add("127.0.0.1:" + server.port() + ":1 " + name);
		}
		servers = String.join(",", specs);
		registry.add("outrigger.ambassador.http.shards", () -> servers);
		registry.add("outrigger.ambassador.http.port", () -> proxyPort);
	}

	/** A backend that names itself and echoes the request it got. */
	private static RecordingReceiver startBackend(String name, int port) {
		return RecordingReceiver.start(port)
			.script((request) -> Reply.status(201)
				.body(name + " " + request.method() + " " + request.path() + " " + request.body())
				.header("X-Backend", name));
	}

	@AfterAll
	static void stopBackends() {
		backends.forEach(RecordingReceiver::close);
	}

	private final LoopbackHttp proxy = new LoopbackHttp(proxyPort);

	@Test
	void eachKeyGoesToItsShardOnTheRingWithMethodPathQueryAndBody() throws Exception {
		ShardRing ring = ShardRing.of(ShardSpecs.parse(servers), HashFunction.FNV1A_64, Distribution.KETAMA, null);
		for (int i = 0; i < 50; i++) {
			String key = "user-" + i;
			HttpResponse<String> response = this.proxy
				.send(HttpRequest.newBuilder(this.proxy.uri("/items/" + i + "?x=1"))
					.header("X-Shard-Key", key)
					.POST(HttpRequest.BodyPublishers.ofString("payload-" + i)));
			Shard expected = ring.locate(key.getBytes(StandardCharsets.UTF_8));
			assertThat(response.statusCode()).isEqualTo(201);
			assertThat(response.body()).isEqualTo(expected.name() + " POST /items/" + i + "?x=1 payload-" + i);
			assertThat(response.headers().firstValue("X-Backend")).hasValue(expected.name());
			assertThat(response.headers().firstValue("Outrigger-Shard")).hasValue(expected.name());
		}
	}

	@Test
	void aRequestWithoutItsKeyIsA400Problem() throws Exception {
		HttpResponse<String> response = this.proxy.get("/items/1");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("header X-Shard-Key").contains("OUTRIGGER_AMBASSADOR_HTTP_KEY");
	}

	@Test
	void aLargeBodyStreamsThrough() throws Exception {
		String big = "x".repeat(3 * 1024 * 1024);
		HttpResponse<String> response = this.proxy.send(HttpRequest.newBuilder(this.proxy.uri("/big"))
			.header("X-Shard-Key", "big")
			.PUT(HttpRequest.BodyPublishers.ofString(big)));
		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(response.body()).endsWith(big);
	}

	@Test
	void aDownShardAnswers502ForItsKeysOnlyAndShowsInShards() throws Exception {
		ShardRing ring = ShardRing.of(ShardSpecs.parse(servers), HashFunction.FNV1A_64, Distribution.KETAMA, null);
		RecordingReceiver gamma = backends.get(2);
		int gammaPort = gamma.port();
		gamma.close();
		try {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.proxy.get("/ignored").statusCode() > 0 && downShown());
			String gammaKey = keyOn(ring, "gamma");
			String alphaKey = keyOn(ring, "alpha");
			HttpResponse<String> down = this.proxy
				.send(HttpRequest.newBuilder(this.proxy.uri("/x")).header("X-Shard-Key", gammaKey));
			assertThat(down.statusCode()).isEqualTo(502);
			assertThat(down.body()).contains("gamma");
			HttpResponse<String> fine = this.proxy
				.send(HttpRequest.newBuilder(this.proxy.uri("/x")).header("X-Shard-Key", alphaKey));
			assertThat(fine.statusCode()).isEqualTo(201);
		}
		finally {
			backends.set(2, startBackend("gamma", gammaPort));
			await().atMost(Duration.ofSeconds(10)).until(() -> !downShown());
		}
	}

	private boolean downShown() throws IOException, InterruptedException {
		LoopbackHttp admin = new LoopbackHttp(adminPort());
		return admin.get("/shards").body().contains("\"state\":\"DOWN\"");
	}

	@org.springframework.boot.test.web.server.LocalServerPort
	private int adminPort;

	private int adminPort() {
		return this.adminPort;
	}

	private static String keyOn(ShardRing ring, String shard) {
		for (int i = 0;; i++) {
			String key = "k" + i;
			if (ring.locate(key.getBytes(StandardCharsets.UTF_8)).name().equals(shard)) {
				return key;
			}
		}
	}

}
