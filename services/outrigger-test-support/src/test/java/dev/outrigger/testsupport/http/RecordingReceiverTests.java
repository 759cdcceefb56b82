package dev.outrigger.testsupport.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import dev.outrigger.testsupport.http.RecordingReceiver.Reply;
import dev.outrigger.testsupport.http.RecordingReceiver.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Timeout(30)
class RecordingReceiverTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void failsAsScriptedThenAnswersAndRecordsEverything() throws Exception {
		try (RecordingReceiver receiver = RecordingReceiver.start().failFirst(2, 503).respond(Reply.json("{}"))) {
			List<Integer> statuses = List.of(post(receiver, "a"), post(receiver, "b"), post(receiver, "c"));
			assertThat(statuses).containsExactly(503, 503, 200);
			List<Request> requests = receiver.awaitRequests(3, Duration.ofSeconds(5));
			assertThat(requests).extracting(Request::body).containsExactly("a", "b", "c");
			assertThat(requests.getFirst().method()).isEqualTo("POST");
			assertThat(requests.getFirst().path()).isEqualTo("/hook?x=1");
			assertThat(requests.getFirst().header("X-Token")).isEqualTo("t");
		}
	}

	@Test
	void delaysItsAnswer() throws Exception {
		try (RecordingReceiver receiver = RecordingReceiver.start()
			.respond(Reply.status(204).after(Duration.ofMillis(300)))) {
			long start = System.nanoTime();
			assertThat(post(receiver, "slow")).isEqualTo(204);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		}
	}

	@Test
	void aBoundedWaitFailsWithWhatArrived() {
		try (RecordingReceiver receiver = RecordingReceiver.start()) {
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> receiver.awaitRequests(1, Duration.ofMillis(100)))
				.withMessageContaining("received 0");
		}
	}

	private int post(RecordingReceiver receiver, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(receiver.uri("/hook?x=1"))
			.header("X-Token", "t")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

}
