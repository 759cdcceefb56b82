package dev.outrigger.scatter.gather;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;

/**
 * Calls leaves over HTTP/1.1 with the JDK's client (kept-alive connections, cancellable
 * calls: cancelling the future aborts the exchange). An answer is read whole, but no
 * further than the route's cap, and only as far as the root's buffer budget allows.
 */
public final class LeafClient implements AutoCloseable {

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final HttpClient client;

	public LeafClient(Duration connectTimeout) {
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.executor(this.executor)
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
	 * @param timeout how long until the answer's headers must be in (a backstop: the
	 * caller cancels at its deadline)
	 * @param maxBytes the largest answer taken
	 * @param account where the answer's bytes are taken from
	 */
	CompletableFuture<HttpResponse<byte[]>> send(URI target, String method, byte[] body,
			Map<String, List<String>> headers, Duration timeout, long maxBytes, BufferBudget.Account account) {
		HttpRequest.Builder request = HttpRequest.newBuilder(target)
			.timeout(timeout)
			.method(method, (body.length == 0) ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofByteArray(body));
		headers.forEach((name, values) -> values.forEach((value) -> request.header(name, value)));
		return this.client.sendAsync(request.build(), (info) -> new CappedBody(maxBytes, account));
	}

	@Override
	public void close() {
		this.client.shutdownNow();
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

	/** Collects an answer up to its cap, taking its bytes from the request's account. */
	private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

		private final CompletableFuture<byte[]> body = new CompletableFuture<>();

		private final List<byte[]> chunks = new ArrayList<>();

		private final long maxBytes;

		private final BufferBudget.Account account;

		private Flow.Subscription subscription;

		private long received;

		CappedBody(long maxBytes, BufferBudget.Account account) {
			this.maxBytes = maxBytes;
			this.account = account;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(List<ByteBuffer> buffers) {
			if (this.body.isDone()) {
				return;
			}
			for (ByteBuffer buffer : buffers) {
				int length = buffer.remaining();
				this.received += length;
				if (this.received > this.maxBytes) {
					stop(new AnswerTooLargeException(this.maxBytes));
					return;
				}
				if (!this.account.take(length)) {
					stop(new BufferFullException());
					return;
				}
				byte[] chunk = new byte[length];
				buffer.get(chunk);
				this.chunks.add(chunk);
			}
		}

		private void stop(IOException failure) {
			this.subscription.cancel();
			this.chunks.clear();
			this.body.completeExceptionally(failure);
		}

		@Override
		public void onError(Throwable failure) {
			this.body.completeExceptionally(failure);
		}

		@Override
		public void onComplete() {
			if (this.chunks.size() == 1) {
				this.body.complete(this.chunks.getFirst());
				return;
			}
			byte[] whole = new byte[(int) this.received];
			int at = 0;
			for (byte[] chunk : this.chunks) {
				System.arraycopy(chunk, 0, whole, at, chunk.length);
				at += chunk.length;
			}
			this.body.complete(whole);
		}

		@Override
		public CompletionStage<byte[]> getBody() {
			return this.body;
		}

	}

}
