package dev.outrigger.election.notify;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.outrigger.election.Election;
import dev.outrigger.election.LeaderObservation;
import dev.outrigger.kit.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook against a real HTTP receiver on loopback that fails its first calls.
 */
class LeaderWebhookTests {

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final AtomicInteger failuresLeft = new AtomicInteger();

	private final AtomicInteger calls = new AtomicInteger();

	private HttpServer receiver;

	@BeforeEach
	void startReceiver() throws IOException {
		this.receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.receiver.createContext("/hook", (exchange) -> {
			this.calls.incrementAndGet();
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			int status = (this.failuresLeft.getAndDecrement() > 0) ? 500 : 204;
			if (status == 204) {
				this.received.add(exchange.getRequestHeaders().getFirst("Outrigger-Fencing-Token") + " " + body);
			}
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		this.receiver.start();
	}

	@AfterEach
	void stopReceiver() {
		this.receiver.stop(0);
	}

	@Test
	void everyChangeIsPostedInOrderAndRetriedAfterA500() {
		Election election = new Election("default", "me", "test", Clock.systemUTC());
		this.failuresLeft.set(2);
		try (LeaderWebhook webhook = new LeaderWebhook(
				URI.create("http://127.0.0.1:" + this.receiver.getAddress().getPort() + "/hook"), JsonMapper.shared(),
				Backoff.doubling(Duration.ofMillis(20), Duration.ofMillis(100)))) {
			webhook.watch(election);
			election.observe(new LeaderObservation("other", 3));
			election.observe(new LeaderObservation("me", 4));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.received.size() == 2);
		}
		assertThat(this.calls.get()).isEqualTo(4);
		assertThat(this.received.get(0)).startsWith("3 ").contains("\"leader\":\"other\"").contains("\"isLeader\":false");
		assertThat(this.received.get(1)).startsWith("4 ").contains("\"leader\":\"me\"").contains("\"isLeader\":true");
	}

}
