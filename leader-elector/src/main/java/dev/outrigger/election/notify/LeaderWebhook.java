package dev.outrigger.election.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import dev.outrigger.election.Election;
import dev.outrigger.election.LeaderState;
import dev.outrigger.kit.Backoff;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * POSTs the state JSON to {@code OUTRIGGER_ELECTION_NOTIFY_URL} on every change, in
 * order, retrying each with exponential backoff until the receiver answers 2xx:
 * at-least-once. The fencing token in the body lets the receiver drop duplicates and
 * stale states.
 */
public final class LeaderWebhook implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LeaderWebhook.class);

	private static final int MAX_QUEUED = 10_000;

	private final URI url;

	private final JsonMapper json;

	private final Backoff backoff;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final BlockingQueue<LeaderState> queue = new LinkedBlockingQueue<>(MAX_QUEUED);

	private final Thread sender;

	public LeaderWebhook(URI url, JsonMapper json, Backoff backoff) {
		this.url = url;
		this.json = json;
		this.backoff = backoff;
		this.sender = Thread.ofVirtual().name("leader-webhook").start(this::deliverForever);
	}

	/** Sends every future change of {@code election}. */
	public void watch(Election election) {
		election.listenToChanges((state) -> {
			if (!this.queue.offer(state)) {
				logger.warn("Webhook " + this.url + " is " + MAX_QUEUED + " changes behind; dropping the change to "
						+ state.leader() + " (token " + state.fencingToken() + ")");
			}
		});
	}

	private void deliverForever() {
		try {
			while (true) {
				deliver(this.queue.take());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void deliver(LeaderState state) throws InterruptedException {
		String body = this.json.writeValueAsString(state);
		for (int attempt = 1;; attempt++) {
			String failure;
			try {
				HttpResponse<Void> response = this.http.send(HttpRequest.newBuilder(this.url)
					.timeout(Duration.ofSeconds(10))
					.header("Content-Type", "application/json")
					.header("Outrigger-Election", state.election())
					.header("Outrigger-Fencing-Token", Long.toString(state.fencingToken()))
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() / 100 == 2) {
					return;
				}
				failure = "HTTP " + response.statusCode();
			}
			catch (java.io.IOException ex) {
				failure = ex.toString();
			}
			Duration wait = this.backoff.delay(attempt);
			logger.warn("Webhook " + this.url + " refused the change to token " + state.fencingToken() + " (" + failure
					+ "); attempt " + attempt + ", retrying in " + wait.toMillis() + " ms");
			Thread.sleep(wait);
		}
	}

	@Override
	public void close() {
		this.sender.interrupt();
	}

}
