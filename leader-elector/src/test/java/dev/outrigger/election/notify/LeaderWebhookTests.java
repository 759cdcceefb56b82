package dev.outrigger.election.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.outrigger.election.Election;
import dev.outrigger.election.LeaderObservation;
import dev.outrigger.testsupport.http.RecordingReceiver;
import dev.outrigger.testsupport.http.RecordingReceiver.Reply;
import dev.outrigger.testsupport.http.RecordingReceiver.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook against a real HTTP receiver on loopback that fails its first calls.
 */
@Timeout(60)
class LeaderWebhookTests {

	private final RecordingReceiver receiver = RecordingReceiver.start().failFirst(2, 500).respond(Reply.status(204));

	@AfterEach
	void stopReceiver() {
		this.receiver.close();
	}

	@Test
	void everyChangeIsPostedInOrderAndRetriedAfterA500() throws InterruptedException {
		Election election = new Election("default", "me", "test", Clock.systemUTC());
		List<Request> requests;
		try (LeaderWebhook webhook = new LeaderWebhook(this.receiver.uri("/hook"), JsonMapper.shared(),
				new LeaderWebhook.Backoff(Duration.ofMillis(20), Duration.ofMillis(100)))) {
			webhook.watch(election);
			election.observe(new LeaderObservation("other", 3));
			election.observe(new LeaderObservation("me", 4));
			// two failures, then one delivery per change
			requests = this.receiver.awaitRequests(4, Duration.ofSeconds(10));
		}
		assertThat(this.receiver.requests()).hasSize(4);
		List<String> delivered = requests.subList(2, 4)
			.stream()
			.map((request) -> request.header("Outrigger-Fencing-Token") + " " + request.body())
			.toList();
		assertThat(delivered.get(0)).startsWith("3 ").contains("\"leader\":\"other\"").contains("\"isLeader\":false");
		assertThat(delivered.get(1)).startsWith("4 ").contains("\"leader\":\"me\"").contains("\"isLeader\":true");
		assertThat(requests).extracting(Request::path).containsOnly("/hook");
	}

}
