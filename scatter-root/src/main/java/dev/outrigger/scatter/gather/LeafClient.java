package dev.outrigger.scatter.gather;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import dev.outrigger.scatter.merge.LeafAnswer;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Calls leaves over HTTP/1.1: a blocking client on a pool of kept-alive connections, each
 * call on a virtual thread of its own. Per call it costs a fraction of the JDK's
 * asynchronous client, which hands every exchange between threads (measured by
 * bench/scatter-gather). Cancelling a call's future aborts the exchange and closes its
 * connection. An answer is read whole, but no further than the route's cap, and only as
 * far as the root's buffer budget allows.
 */
public final class LeafClient implements AutoCloseable {

	/**
	 * Calls in flight are bounded by the requests in flight times their shards, so the
	 * pool never makes a call wait: it only keeps connections alive.
	 */
	private static final int MAX_CONNECTIONS = 4 * 1024;

	/**
	 * A kept-alive connection idle this long is checked before reuse: the leaf may have
	 * closed it.
	 */
	private static final TimeValue VALIDATE_AFTER_IDLE = TimeValue.ofMilliseconds(500);

	/** Kept-alive connections idle this long are closed. */
	private static final TimeValue IDLE_CLOSED_AFTER = TimeValue.ofSeconds(30);

	private static final int CHUNK_BYTES = 8 * 1024;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final CloseableHttpClient http;

	public LeafClient(Duration connectTimeout) {
		this.http = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setMaxConnTotal(MAX_CONNECTIONS)
				.setMaxConnPerRoute(MAX_CONNECTIONS)
				.setDefaultConnectionConfig(ConnectionConfig.custom()
					.setConnectTimeout(Timeout.of(connectTimeout))
					.setValidateAfterInactivity(VALIDATE_AFTER_IDLE)
					.build())
				.build())
			// connections to leaves that left (pods replaced) are closed, not kept
			.evictExpiredConnections()
			.evictIdleConnections(IDLE_CLOSED_AFTER)
			// hedging and the breakers decide what is tried again, not the client
			.disableAutomaticRetries()
			.disableContentCompression()
			.disableRedirectHandling()
			.disableCookieManagement()
			.disableAuthCaching()
			.build();
	}

	/**
	 * Where callers run what follows a call: virtual threads, not the common pool (which
	 * on a small machine starts a platform thread per task).
	 */
	Executor callbacks() {
		return this.executor;
	}

	/**
	 * Sends one call.
	 * @param target the leaf URL with path and query
	 * @param headers headers to send
	 * @param timeout how long the leaf may stay silent (a backstop: the caller cancels at
	 * its deadline)
	 * @param maxBytes the largest answer taken
	 * @param account where the answer's bytes are taken from
	 */
	CompletableFuture<LeafAnswer> send(URI target, String method, byte[] body, Map<String, List<String>> headers,
			Duration timeout, long maxBytes, BufferBudget.Account account) {
		HttpUriRequestBase request = new HttpUriRequestBase(method, target);
		request.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build());
		headers.forEach((name, values) -> values.forEach((value) -> request.addHeader(name, value)));
		if (body.length > 0) {
			// the forwarded Content-Type header describes it
			request.setEntity(new ByteArrayEntity(body, null));
		}
		CompletableFuture<LeafAnswer> answer = new CompletableFuture<>();
		answer.whenComplete((result, failure) -> {
			if (answer.isCancelled()) {
				request.cancel();
			}
		});
		try {
			this.executor.execute(() -> {
				try {
					answer.complete(exchange(request, maxBytes, account));
				}
				catch (Throwable ex) {
					// whatever ends the call ends its future: the shard must not wait for
					// the deadline
					answer.completeExceptionally(ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// closed: the root is stopping
			answer.completeExceptionally(ex);
		}
		return answer;
	}

	private LeafAnswer exchange(HttpUriRequestBase request, long maxBytes, BufferBudget.Account account)
			throws IOException {
		try (ClassicHttpResponse response = this.http.executeOpen(null, request, null)) {
			Header type = response.getFirstHeader("Content-Type");
			byte[] body = read(response.getEntity(), maxBytes, account, request);
			return new LeafAnswer(response.getCode(), body, (type != null) ? type.getValue() : null);
		}
	}

	/**
	 * Reads the body, taking its bytes from {@code account}; stopping early aborts the
	 * exchange, since closing the stream would read the rest.
	 */
	private static byte[] read(HttpEntity entity, long maxBytes, BufferBudget.Account account,
			HttpUriRequestBase request) throws IOException {
		if (entity == null) {
			return new byte[0];
		}
		long declared = entity.getContentLength();
		try (InputStream in = entity.getContent()) {
			if (declared >= 0) {
				take(declared, declared, maxBytes, account, request);
				return in.readNBytes((int) declared);
			}
			// chunked: taken as it comes
			byte[] whole = new byte[CHUNK_BYTES];
			int received = 0;
			for (int read; (read = in.read(whole, received, whole.length - received)) >= 0;) {
				take(read, received + (long) read, maxBytes, account, request);
				received += read;
				if (received == whole.length) {
					// never more than one byte past the cap, which read() must see to
					// stop
					whole = Arrays.copyOf(whole, (int) Math.min(2L * whole.length, maxBytes + 1));
				}
			}
			return Arrays.copyOf(whole, received);
		}
	}

	/**
	 * Takes {@code bytes} more of an answer that has {@code total} bytes with them, or
	 * aborts the exchange.
	 */
	private static void take(long bytes, long total, long maxBytes, BufferBudget.Account account,
			HttpUriRequestBase request) throws IOException {
		if (total > maxBytes) {
			request.cancel();
			throw new AnswerTooLargeException(maxBytes);
		}
		if (!account.take(bytes)) {
			request.cancel();
			throw new BufferFullException();
		}
	}

	@Override
	public void close() {
		this.http.close(CloseMode.IMMEDIATE);
		this.executor.shutdownNow();
	}

	/** An answer larger than the route takes. */
	static final class AnswerTooLargeException extends IOException {

		AnswerTooLargeException(long maxBytes) {
			super("the answer is larger than " + maxBytes + " bytes (max-leaf-bytes)");
		}

	}

	/** The root holds as many answer bytes as it may. */
	static final class BufferFullException extends IOException {

		BufferFullException() {
			super("the root holds as many leaf answers as it may (OUTRIGGER_SCATTER_MAX_BUFFERED)");
		}

	}

}
