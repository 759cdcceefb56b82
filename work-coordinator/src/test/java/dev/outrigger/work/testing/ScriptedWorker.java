package dev.outrigger.work.testing;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import dev.outrigger.testsupport.http.RecordingReceiver;
import dev.outrigger.testsupport.http.RecordingReceiver.Reply;
import dev.outrigger.testsupport.http.RecordingReceiver.Request;

/**
 * A worker for the agent's tests: the shared {@link RecordingReceiver} with the work
 * queue's meaning on top. Each call is read as an item's attempt (item id, idempotency
 * key, attempt, deadline), and the script answers it (it may block, to play a slow or
 * hanging worker).
 */
public final class ScriptedWorker implements AutoCloseable {

	private final RecordingReceiver receiver;

	private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

	private volatile Function<Call, Answer> script = (call) -> Answer.ok("{\"done\":\"" + call.itemId() + "\"}");

	public ScriptedWorker() {
		this.receiver = RecordingReceiver.start().script(this::answer);
	}

	public URI url() {
		return this.receiver.uri("/work");
	}

	/** Answers every later call with {@code script}. */
	public void script(Function<Call, Answer> script) {
		this.script = script;
	}

	public List<Call> calls() {
		return List.copyOf(this.calls);
	}

	public List<Call> callsFor(String itemId) {
		return this.calls.stream().filter((call) -> call.itemId().equals(itemId)).toList();
	}

	private Reply answer(Request request) {
		String attempt = header(request, "Outrigger-Attempt");
		Call call = new Call(header(request, "Outrigger-Item-Id"), header(request, "Idempotency-Key"),
				attempt.isEmpty() ? 0 : Integer.parseInt(attempt), header(request, "Outrigger-Deadline"),
				request.body(), request.receivedAt());
		this.calls.add(call);
		Answer answer = this.script.apply(call);
		return Reply.status(answer.status()).body(answer.body()).header("Content-Type", answer.contentType());
	}

	private static String header(Request request, String name) {
		String value = request.header(name);
		return (value != null) ? value : "";
	}

	@Override
	public void close() {
		this.receiver.close();
	}

	/** One call the worker received. */
	public record Call(String itemId, String idempotencyKey, int attempt, String deadline, String body,
			Instant receivedAt) {

	}

	/** How the worker answers a call. */
	public record Answer(int status, String body, String contentType) {

		public static Answer ok(String json) {
			return new Answer(200, json, "application/json");
		}

		public static Answer status(int status) {
			return new Answer(status, "{\"error\":\"scripted " + status + "\"}", "application/json");
		}

	}

}
