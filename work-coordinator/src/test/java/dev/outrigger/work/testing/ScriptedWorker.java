package dev.outrigger.work.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP worker on loopback whose answers a test scripts: every call is recorded, and the
 * script decides each answer (it may block, to play a slow or hanging worker).
 */
public final class ScriptedWorker implements AutoCloseable {

	private final HttpServer server;

	private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

	private volatile Function<Call, Answer> script = (call) -> Answer.ok("{\"done\":\"" + call.itemId() + "\"}");

	public ScriptedWorker() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/work", this::handle);
		this.server.start();
	}

	public URI url() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/work");
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

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange; InputStream in = exchange.getRequestBody()) {
			String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			Call call = new Call(header(exchange, "Outrigger-Item-Id"), header(exchange, "Idempotency-Key"),
					Integer.parseInt(header(exchange, "Outrigger-Attempt")), header(exchange, "Outrigger-Deadline"),
					body, Instant.now());
			this.calls.add(call);
			Answer answer = this.script.apply(call);
			byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", answer.contentType());
			exchange.sendResponseHeaders(answer.status(), (bytes.length == 0) ? -1 : bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}
	}

	private static String header(HttpExchange exchange, String name) {
		String value = exchange.getRequestHeaders().getFirst(name);
		return (value != null) ? value : "";
	}

	@Override
	public void close() {
		this.server.stop(0);
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
