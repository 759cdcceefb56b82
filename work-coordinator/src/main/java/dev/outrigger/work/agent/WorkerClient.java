package dev.outrigger.work.agent;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;

import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.WorkItem;

/**
 * Calls the worker beside the agent: {@code POST <worker url>} with the item's payload and the
 * headers a worker needs to be idempotent and to respect the deadline.
 */
public final class WorkerClient implements AutoCloseable {

	/** How much of an error body is kept as the item's last error. */
	private static final int ERROR_BODY_LIMIT = 300;

	private final HttpClient http;

	private final URI workerUrl;

	private final ItemJson json;

	public WorkerClient(URI workerUrl, ItemJson json) {
		this.workerUrl = workerUrl;
		this.json = json;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.executor(Executors.newVirtualThreadPerTaskExecutor())
			.build();
	}

	/**
	 * Calls the worker once; blocks until it answers or the item's timeout passes.
	 * @throws InterruptedException if the agent is stopping
	 */
	public WorkerOutcome call(WorkItem item, int attempt, Instant now) throws InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(this.workerUrl)
			.timeout(item.timeout())
			.header("Content-Type", "application/json")
			.header("Outrigger-Item-Id", item.id())
			.header("Idempotency-Key", item.id())
			.header("Outrigger-Attempt", Integer.toString(attempt))
			.header("Outrigger-Deadline", now.plus(item.timeout()).toString())
			.header("Outrigger-Queue", item.queue())
			.POST(HttpRequest.BodyPublishers.ofByteArray(this.json.write(item.payload())))
			.build();
		HttpResponse<String> response;
		try {
			response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (HttpTimeoutException ex) {
			return new WorkerOutcome.Retryable("the worker did not answer within " + item.timeout());
		}
		catch (ConnectException ex) {
			return new WorkerOutcome.Retryable("the worker is not reachable at " + this.workerUrl + ": " + describe(ex));
		}
		catch (IOException ex) {
			return new WorkerOutcome.Retryable("the call to the worker failed: " + describe(ex));
		}
		return classify(response);
	}

	private static WorkerOutcome classify(HttpResponse<String> response) {
		int status = response.statusCode();
		String body = response.body();
		if (status >= 200 && status < 300) {
			return new WorkerOutcome.Succeeded(body, response.headers().firstValue("Content-Type").orElse(null));
		}
		String error = "the worker answered HTTP " + status + brief(body);
		if (status == 408 || status == 429 || status >= 500) {
			return new WorkerOutcome.Retryable(error);
		}
		return new WorkerOutcome.Fatal(error);
	}

	private static String brief(String body) {
		if (body == null || body.isBlank()) {
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
		this.http.close();
	}

}
