package dev.outrigger.work.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.WorkItem;
import dev.outrigger.work.testing.ScriptedWorker;
import dev.outrigger.work.testing.ScriptedWorker.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkerClient} against a real HTTP worker on loopback: what each kind of answer
 * (or silence) becomes, and that an interrupt ends a call in flight.
 */
@Timeout(60)
class WorkerClientTests {

	private final ScriptedWorker worker = new ScriptedWorker();

	private final CountDownLatch release = new CountDownLatch(1);

	private final WorkerClient client = new WorkerClient(this.worker.url(), new ItemJson());

	@AfterEach
	void close() {
		this.release.countDown();
		this.client.close();
		this.worker.close();
	}

	@Test
	void a2xxAnswerSucceedsWithItsBodyAndTheCallCarriesTheItemHeaders() throws Exception {
		this.worker.script((call) -> new Answer(201, "{\"echo\":" + call.body() + "}", "application/json"));
		Instant now = Instant.parse("2026-11-26T10:00:00Z");

		WorkerOutcome outcome = this.client.call(item("a-1", Duration.ofSeconds(30)), 2, now);

		assertThat(outcome).isEqualTo(new WorkerOutcome.Succeeded("{\"echo\":{\"n\":1}}", "application/json"));
		assertThat(this.worker.callsFor("a-1")).singleElement().satisfies((call) -> {
			assertThat(call.idempotencyKey()).isEqualTo("a-1");
			assertThat(call.attempt()).isEqualTo(2);
			assertThat(call.deadline()).isEqualTo("2026-11-26T10:00:30Z");
		});
	}

	@Test
	void serverErrorsAndThrottlingAreRetryableOtherClientErrorsAreFatal() throws Exception {
		this.worker.script((call) -> Answer.status(Integer.parseInt(call.itemId())));

		assertThat(this.client.call(item("503", Duration.ofSeconds(30)), 1, Instant.now()))
			.isInstanceOf(WorkerOutcome.Retryable.class);
		assertThat(this.client.call(item("429", Duration.ofSeconds(30)), 1, Instant.now()))
			.isInstanceOf(WorkerOutcome.Retryable.class);
		assertThat(this.client.call(item("422", Duration.ofSeconds(30)), 1, Instant.now()))
			.isEqualTo(new WorkerOutcome.Fatal("the worker answered HTTP 422: {\"error\":\"scripted 422\"}"));
	}

	@Test
	void aBodyIsReadInTheCharsetItDeclaresElseAsUtf8() throws Exception {
		this.worker.script((call) -> new Answer(200, "{\"city\":\"Zürich\"}", "application/json"));

		assertThat(this.client.call(item("utf-8", Duration.ofSeconds(30)), 1, Instant.now()))
			.isEqualTo(new WorkerOutcome.Succeeded("{\"city\":\"Zürich\"}", "application/json"));

		try (ServerSocket latin1 = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				WorkerClient client = new WorkerClient(
						URI.create("http://127.0.0.1:" + latin1.getLocalPort() + "/work"), new ItemJson())) {
			Thread.ofVirtual()
				.start(() -> answerOnce(latin1, "text/plain; charset=ISO-8859-1",
						"Zürich".getBytes(StandardCharsets.ISO_8859_1)));

			assertThat(client.call(item("latin-1", Duration.ofSeconds(30)), 1, Instant.now()))
				.isEqualTo(new WorkerOutcome.Succeeded("Zürich", "text/plain; charset=ISO-8859-1"));
		}
	}

	@Test
	void aWorkerSilentPastTheItemTimeoutIsRetryable() throws Exception {
		this.worker.script(this::blocked);

		WorkerOutcome outcome = this.client.call(item("slow", Duration.ofMillis(300)), 1, Instant.now());

		assertThat(outcome).isEqualTo(new WorkerOutcome.Retryable("the worker did not answer within PT0.3S"));
	}

	@Test
	void aWorkerTricklingItsAnswerPastTheItemTimeoutIsRetryable() throws Exception {
		try (ServerSocket trickler = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				WorkerClient client = new WorkerClient(
						URI.create("http://127.0.0.1:" + trickler.getLocalPort() + "/work"), new ItemJson())) {
			Thread.ofVirtual().start(() -> trickle(trickler));
			long started = System.nanoTime();

			WorkerOutcome outcome = client.call(item("trickled", Duration.ofMillis(500)), 1, Instant.now());

			assertThat(outcome).isEqualTo(new WorkerOutcome.Retryable("the worker did not answer within PT0.5S"));
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		}
	}

	@Test
	void aWorkerNotListeningIsRetryable() throws Exception {
		URI closed;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/work");
		}
		try (WorkerClient nowhere = new WorkerClient(closed, new ItemJson())) {
			WorkerOutcome outcome = nowhere.call(item("x", Duration.ofSeconds(5)), 1, Instant.now());

			assertThat(outcome).isInstanceOfSatisfying(WorkerOutcome.Retryable.class,
					(retryable) -> assertThat(retryable.error())
						.startsWith("the worker is not reachable at " + closed));
		}
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void anInterruptEndsACallInFlight(boolean onVirtualThread) throws Exception {
		CountDownLatch called = new CountDownLatch(1);
		this.worker.script((call) -> {
			called.countDown();
			return blocked(call);
		});
		CompletableFuture<Throwable> ended = new CompletableFuture<>();
		Thread.Builder threads = onVirtualThread ? Thread.ofVirtual() : Thread.ofPlatform();
		Thread caller = threads.start(() -> {
			try {
				this.client.call(item("stuck", Duration.ofMinutes(5)), 1, Instant.now());
				ended.complete(null);
			}
			catch (Throwable ex) {
				ended.complete(ex);
			}
		});
		assertThat(called.await(10, TimeUnit.SECONDS)).as("the worker received the call").isTrue();

		caller.interrupt();

		assertThat(ended.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
	}

	/**
	 * Reads one request (headers, then as many bytes as it says) and answers with
	 * {@code body}.
	 */
	private static void answerOnce(ServerSocket server, String contentType, byte[] body) {
		try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
			InputStream in = socket.getInputStream();
			StringBuilder head = new StringBuilder();
			while (!head.toString().endsWith("\r\n\r\n")) {
				int next = in.read();
				if (next < 0) {
					return;
				}
				head.append((char) next);
			}
			Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
			in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
			out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
					+ "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Answers with a long body one byte every 100 ms: never silent for long, never done.
	 */
	private static void trickle(ServerSocket server) {
		try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
			out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			for (int i = 0; i < 1000; i++) {
				out.write('x');
				out.flush();
				Thread.sleep(100);
			}
		}
		catch (IOException | InterruptedException ex) {
			// the client gave up
		}
	}

	private Answer blocked(ScriptedWorker.Call call) {
		try {
			this.release.await(2, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return Answer.ok("{}");
	}

	private static WorkItem item(String id, Duration timeout) {
		return new WorkItem(id, "q", JsonMapper.builder().build().readTree("{\"n\":1}"), null, 5, timeout.toMillis(),
				null, Instant.now(), 0, null);
	}

}
