package dev.outrigger.work.coordinator.callback;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.outrigger.testsupport.http.RecordingReceiver;
import dev.outrigger.testsupport.http.RecordingReceiver.Reply;
import dev.outrigger.testsupport.http.RecordingReceiver.Request;
import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;
import dev.outrigger.work.item.WorkItem;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Callback delivery against a real HTTP receiver: one that fails and then answers is
 * retried with the same idempotency key until it takes the status; one that never answers
 * 2xx is given up after {@code OUTRIGGER_WORK_CALLBACK_MAX_ATTEMPTS} POSTs, and counted
 * where operators look.
 */
@Timeout(60)
class CallbackSenderTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final CallbackSender sender = new CallbackSender(JsonMapper.builder().build(), 3, Duration.ofSeconds(2),
			this.registry);

	@Test
	void aCallbackThatFailsThenSucceedsIsDeliveredOnceTakenWithOneIdempotencyKey() throws Exception {
		try (RecordingReceiver receiver = RecordingReceiver.start().failFirst(2, 503).respond(Reply.status(204))) {
			this.sender.send(succeeded(receiver.uri("/done")));

			List<Request> posts = receiver.requests();
			assertThat(posts).hasSize(3);
			assertThat(posts).extracting((post) -> post.header("Idempotency-Key")).containsOnly("item-1/0/SUCCEEDED");
			assertThat(counted("delivered")).isOne();
			assertThat(counted("failed")).isZero();
		}
	}

	@Test
	void aCallbackThatNeverSucceedsIsGivenUpAfterItsAttemptsAndCounted() throws Exception {
		try (RecordingReceiver receiver = RecordingReceiver.start().respond(Reply.status(500))) {
			this.sender.send(succeeded(receiver.uri("/done")));

			assertThat(receiver.requests()).hasSize(3);
			assertThat(counted("failed")).isOne();
			assertThat(counted("delivered")).isZero();
		}
	}

	private double counted(String outcome) {
		return this.registry.get("outrigger.work.callbacks").tag("outcome", outcome).counter().count();
	}

	private static ItemStatus succeeded(URI callback) {
		Instant now = Instant.now();
		WorkItem item = new WorkItem("item-1", "q", JsonNodeFactory.instance.objectNode(), null, 1, 1000, callback, now,
				0, null);
		return ItemStatus.of(item, ItemState.SUCCEEDED, 1, now, now, null, "agent");
	}

}
