package dev.outrigger.work.agent;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.WorkItem;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * Calls the worker beside the agent: {@code POST <worker url>} with the item's payload
 * and the headers a worker needs to be idempotent and to respect the deadline.
 * <p>
 * A blocking client on a pool of kept-alive connections, one per call in flight: per call
 * it costs a fraction of the JDK's asynchronous client, which hands every exchange
 * between threads. Calls run on virtual threads, where an interrupt (the agent stopping)
 * closes the socket and ends the call.
 */
public final class WorkerClient implements AutoCloseable {

	/** How much of an error body is kept as the item's last error. */
	private static final int ERROR_BODY_LIMIT = 300;

	private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(5);

	/**
	 * A kept-alive connection idle this long is checked before reuse: the worker may have
	 * closed it.
	 */
	private static final TimeValue VALIDATE_AFTER_IDLE = TimeValue.ofMilliseconds(500);

	private static final ContentType JSON = ContentType.create("application/json");

	/**
	 * The engines bound the calls in flight (classic: a consumer per turn for items and
	 * another for retries), so the pool never makes a call wait: it only keeps
	 * connections alive.
	 */
	private static final int MAX_CONNECTIONS = 4 * 1024;

	private final CloseableHttpClient http;

	private final URI workerUrl;

	private final ItemJson json;

	private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();

	/**
	 * Ends calls at their item's deadline, whatever the worker is doing with the
	 * connection.
	 */
	private final ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1,
			Thread.ofPlatform().name("worker-call-deadlines").daemon(true).factory());

	public WorkerClient(URI workerUrl, ItemJson json) {
		this.workerUrl = workerUrl;
		this.json = json;
		this.deadlines.setRemoveOnCancelPolicy(true);
		this.http = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setMaxConnTotal(MAX_CONNECTIONS)
				.setMaxConnPerRoute(MAX_CONNECTIONS)
				.setDefaultConnectionConfig(ConnectionConfig.custom()
					.setConnectTimeout(CONNECT_TIMEOUT)
					.setValidateAfterInactivity(VALIDATE_AFTER_IDLE)
					.build())
				.build())
			// the agent retries with backoff and counts attempts; only a stale connection
			// is retried here
			.setRetryStrategy(new StaleConnectionRetry())
			.disableContentCompression()
			.disableRedirectHandling()
			.disableCookieManagement()
			.disableAuthCaching()
			.build();
	}

	/**
	 * Calls the worker once; blocks until it answers or the item's timeout passes.
	 * @throws InterruptedException if the agent is stopping
	 */
	public WorkerOutcome call(WorkItem item, int attempt, Instant now) throws InterruptedException {
		if (Thread.currentThread().isVirtual()) {
			return callHere(item, attempt, now);
		}
		// a platform thread blocked on a socket ignores interrupts: call from a virtual
		// thread
		Future<WorkerOutcome> call = this.virtualThreads.submit(() -> callHere(item, attempt, now));
		try {
			return call.get();
		}
		catch (InterruptedException ex) {
			call.cancel(true);
			throw ex;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof InterruptedException interrupted) {
				throw interrupted;
			}
			throw new IllegalStateException("the call to the worker failed", ex.getCause());
		}
	}

	private WorkerOutcome callHere(WorkItem item, int attempt, Instant now) throws InterruptedException {
		HttpPost request = new HttpPost(this.workerUrl);
		request.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(item.timeout())).build());
		request.setHeader("Outrigger-Item-Id", item.id());
		request.setHeader("Idempotency-Key", item.id());
		request.setHeader("Outrigger-Attempt", Integer.toString(attempt));
		request.setHeader("Outrigger-Deadline", now.plus(item.timeout()).toString());
		request.setHeader("Outrigger-Queue", item.queue());
		request.setEntity(new ByteArrayEntity(this.json.write(item.payload()), JSON));
		// the response timeout bounds each wait for the worker; the deadline bounds the
		// whole call
		AtomicBoolean overdue = new AtomicBoolean();
		ScheduledFuture<?> deadline = this.deadlines.schedule(() -> {
			overdue.set(true);
			request.cancel();
		}, item.timeoutMillis(), TimeUnit.MILLISECONDS);
		try {
			return this.http.execute(request, WorkerClient::classify);
		}
		catch (IOException ex) {
			if (Thread.interrupted()) {
				throw new InterruptedException("stopped while the worker ran the item");
			}
			return failed(item, ex, overdue.get());
		}
		finally {
			deadline.cancel(false);
		}
	}

	private WorkerOutcome failed(WorkItem item, IOException ex, boolean overdue) {
		if (overdue || ex instanceof SocketTimeoutException) {
			return new WorkerOutcome.Retryable("the worker did not answer within " + item.timeout());
		}
		if (ex instanceof ConnectException) {
			return new WorkerOutcome.Retryable(
					"the worker is not reachable at " + this.workerUrl + ": " + describe(ex));
		}
		return new WorkerOutcome.Retryable("the call to the worker failed: " + describe(ex));
	}

	private static WorkerOutcome classify(ClassicHttpResponse response) throws IOException {
		int status = response.getCode();
		String body = body(response.getEntity());
		if (status >= 200 && status < 300) {
			Header type = response.getFirstHeader("Content-Type");
			return new WorkerOutcome.Succeeded(body, (type != null) ? type.getValue() : null);
		}
		String error = "the worker answered HTTP " + status + brief(body);
		if (status == 408 || status == 429 || status >= 500) {
			return new WorkerOutcome.Retryable(error);
		}
		return new WorkerOutcome.Fatal(error);
	}

	/**
	 * The body as text, in the charset it declares, else UTF-8. Read as bytes first:
	 * decoding through a stream reader allocated an 8 KB buffer per call, a sixth of the
	 * agent's garbage.
	 */
	private static String body(@Nullable HttpEntity entity) throws IOException {
		if (entity == null) {
			return "";
		}
		byte[] bytes = EntityUtils.toByteArray(entity);
		Charset charset = ContentType.getCharset(ContentType.parseLenient(entity.getContentType()),
				StandardCharsets.UTF_8);
		return new String(bytes, charset);
	}

	private static String brief(String body) {
		if (body.isBlank()) {
			return "";
		}
		String trimmed = body.strip();
		return ": " + ((trimmed.length() > ERROR_BODY_LIMIT) ? trimmed.substring(0, ERROR_BODY_LIMIT) + "…" : trimmed);
	}

	private static String describe(IOException ex) {
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	@Override
	public void close() {
		// interrupted first, calls in flight end as handed back rather than as failed
		this.virtualThreads.shutdownNow();
		this.deadlines.shutdownNow();
		this.http.close(CloseMode.IMMEDIATE);
	}

	/**
	 * Resends a call, once, that got no answer at all on a kept-alive connection: the
	 * worker closed the idle connection as it was reused. Any other failure is an
	 * attempt's outcome.
	 */
	private static final class StaleConnectionRetry implements HttpRequestRetryStrategy {

		@Override
		public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
			return execCount == 1 && exception instanceof NoHttpResponseException;
		}

		@Override
		public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
			return false;
		}

		@Override
		public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
			return TimeValue.ZERO_MILLISECONDS;
		}

	}

}
