package dev.outrigger.testsupport.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP server on loopback for tests of whatever calls out (webhooks, callbacks,
 * workers): it records each request's method, path, headers and body, and answers as
 * scripted, for example "fail twice with 503, then 204":
 *
 * <pre>{@code
 * try (RecordingReceiver receiver = RecordingReceiver.start().failFirst(2, 503).respond(Reply.status(204))) {
 *     ... point the client at receiver.uri("/hook") ...
 *     List<Request> requests = receiver.awaitRequests(3, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * One-shot replies ({@link #then}, {@link #failFirst}) are used first, in order; then the
 * {@linkplain #respond default reply} or the {@linkplain #script script}, which may block
 * to play a slow or hanging peer. Each request is handled on a virtual thread of its own.
 */
public final class RecordingReceiver implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition received = this.lock.newCondition();

	private final List<Request> requests = new ArrayList<>();

	private final Deque<Reply> next = new ArrayDeque<>();

	private volatile Function<Request, Reply> script = (request) -> Reply.status(200);

	private RecordingReceiver(HttpServer server) {
		this.server = server;
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** A receiver on a free loopback port. */
	public static RecordingReceiver start() {
		return start(0);
	}

	/**
	 * A receiver on {@code port} (0 for a free one): to bring one back on the port it
	 * had.
	 */
	public static RecordingReceiver start(int port) {
		try {
			return new RecordingReceiver(
					HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No HTTP receiver on 127.0.0.1:" + port, ex);
		}
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	/** {@code http://127.0.0.1:<port><path>}. */
	public URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port() + path);
	}

	/** Answers every request without a one-shot reply with {@code reply}. */
	public RecordingReceiver respond(Reply reply) {
		return script((request) -> reply);
	}

	/**
	 * Answers every request without a one-shot reply by applying {@code script}, which
	 * may block.
	 */
	public RecordingReceiver script(Function<Request, Reply> script) {
		this.script = script;
		return this;
	}

	/**
	 * Answers the next request with {@code reply}, after any one-shot replies queued
	 * before.
	 */
	public RecordingReceiver then(Reply reply) {
		this.lock.lock();
		try {
			this.next.addLast(reply);
		}
		finally {
			this.lock.unlock();
		}
		return this;
	}

	/** Answers the next {@code times} requests with {@code status} (and no body). */
	public RecordingReceiver failFirst(int times, int status) {
		for (int i = 0; i < times; i++) {
			then(Reply.status(status));
		}
		return this;
	}

	/** Every request received so far, in the order received. */
	public List<Request> requests() {
		this.lock.lock();
		try {
			return List.copyOf(this.requests);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until at least {@code count} requests have been received, at most
	 * {@code atMost}; returns them all, or fails with the ones that did arrive.
	 */
	public List<Request> awaitRequests(int count, Duration atMost) throws InterruptedException {
		long left = atMost.toNanos();
		this.lock.lock();
		try {
			while (this.requests.size() < count) {
				if (left <= 0) {
					throw new AssertionError("Expected " + count + " requests within " + atMost + " but received "
							+ this.requests.size() + ": " + this.requests);
				}
				left = this.received.awaitNanos(left);
			}
			return List.copyOf(this.requests);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Stops listening at once; requests in progress are cut off. */
	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			byte[] body = exchange.getRequestBody().readAllBytes();
			Map<String, List<String>> headers = new LinkedHashMap<>();
			exchange.getRequestHeaders()
				.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
			Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers,
					new String(body, StandardCharsets.UTF_8), Instant.now());
			Reply reply = reply(request);
			if (!reply.delay().isZero()) {
				try {
					TimeUnit.NANOSECONDS.sleep(reply.delay().toNanos()); // the scripted
																			// slowness
																			// itself
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
			boolean chunked = reply.chunked();
			reply.headers().forEach((name, value) -> {
				if (!name.equalsIgnoreCase(Reply.TRANSFER_ENCODING)) {
					exchange.getResponseHeaders().add(name, value);
				}
			});
			boolean empty = bytes.length == 0 || reply.status() == 204 || reply.status() == 304;
			// a length of 0 tells the server to send chunks
			exchange.sendResponseHeaders(reply.status(), empty ? -1 : chunked ? 0 : bytes.length);
			if (!empty) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(bytes);
				}
			}
		}
	}

	private Reply reply(Request request) {
		Reply oneShot;
		this.lock.lock();
		try {
			this.requests.add(request);
			this.received.signalAll();
			oneShot = this.next.pollFirst();
		}
		finally {
			this.lock.unlock();
		}
		return (oneShot != null) ? oneShot : this.script.apply(request);
	}

	/**
	 * One request as received.
	 *
	 * @param method such as {@code POST}
	 * @param path the path and query as sent, such as {@code /items/1?x=1}
	 * @param headers by lower-case name
	 * @param body the body as UTF-8
	 * @param receivedAt when it arrived
	 */
	public record Request(String method, String path, Map<String, List<String>> headers, String body,
			Instant receivedAt) {

		/** The first value of header {@code name} (any case), or null. */
		public @Nullable String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values == null || values.isEmpty()) ? null : values.getFirst();
		}

	}

	/**
	 * How the receiver answers one request.
	 *
	 * @param status the HTTP status
	 * @param body the body (UTF-8), empty for none
	 * @param headers response headers
	 * @param delay how long to wait before answering
	 */
	public record Reply(int status, String body, Map<String, String> headers, Duration delay) {

		private static final String TRANSFER_ENCODING = "Transfer-Encoding";

		public Reply {
			headers = Map.copyOf(headers);
		}

		/** {@code status} with no body. */
		public static Reply status(int status) {
			return new Reply(status, "", Map.of(), Duration.ZERO);
		}

		/** 200 with a JSON body. */
		public static Reply json(String json) {
			return json(200, json);
		}

		/** {@code status} with a JSON body. */
		public static Reply json(int status, String json) {
			return status(status).body(json).header("Content-Type", "application/json");
		}

		public Reply body(String body) {
			return new Reply(this.status, body, this.headers, this.delay);
		}

		public Reply header(String name, String value) {
			Map<String, String> headers = new LinkedHashMap<>(this.headers);
			headers.put(name, value);
			return new Reply(this.status, this.body, headers, this.delay);
		}

		/**
		 * The same reply in chunks ({@code Transfer-Encoding: chunked}), with no
		 * Content-Length.
		 */
		public Reply inChunks() {
			return header(TRANSFER_ENCODING, "chunked");
		}

		boolean chunked() {
			return this.headers.entrySet()
				.stream()
				.anyMatch((header) -> header.getKey().equalsIgnoreCase(TRANSFER_ENCODING)
						&& header.getValue().equalsIgnoreCase("chunked"));
		}

		/** The same reply, sent only after {@code delay}. */
		public Reply after(Duration delay) {
			return new Reply(this.status, this.body, this.headers, delay);
		}

	}

}
