package dev.outrigger.work.coordinator.callback;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.outrigger.kit.Backoff;
import dev.outrigger.work.coordinator.api.ItemView;
import dev.outrigger.work.item.ItemStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * POSTs one final status to its callback URL, retrying with exponential backoff (500 ms
 * doubling to 30 s) until a 2xx or the attempts run out; a given-up callback is logged
 * and counted in {@code outrigger_work_callbacks_total{outcome="failed"}}.
 */
public final class CallbackSender {

	private static final Log logger = LogFactory.getLog(CallbackSender.class);

	private static final Backoff BACKOFF = Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(30));

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json;

	private final int maxAttempts;

	private final Duration timeout;

	private final Counter delivered;

	private final Counter failed;

	public CallbackSender(JsonMapper json, int maxAttempts, Duration timeout, MeterRegistry registry) {
		this.json = json;
		this.maxAttempts = maxAttempts;
		this.timeout = timeout;
		this.delivered = counter(registry, "delivered");
		this.failed = counter(registry, "failed");
	}

	/** Delivers {@code status}; returns when it is delivered or given up. */
	public void send(ItemStatus status) throws InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(status.callbackUrl())
			.timeout(this.timeout)
			.header("Content-Type", "application/json")
			.header("Outrigger-Item-Id", status.id())
			.header("Idempotency-Key", status.id() + "/" + status.generation() + "/" + status.state())
			.POST(HttpRequest.BodyPublishers.ofByteArray(this.json.writeValueAsBytes(ItemView.of(status))))
			.build();
		String lastError = "";
		for (int attempt = 1; attempt <= this.maxAttempts; attempt++) {
			try {
				int code = this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
				if (code >= 200 && code < 300) {
					this.delivered.increment();
					return;
				}
				lastError = "HTTP " + code;
			}
			catch (IOException ex) {
				lastError = ex.toString();
			}
			if (attempt < this.maxAttempts) {
				Thread.sleep(BACKOFF.delay(attempt));
			}
		}
		this.failed.increment();
		logger.warn("Gave up the callback of item " + status.id() + " to " + status.callbackUrl() + " after "
				+ this.maxAttempts + " attempts: " + lastError);
	}

	/**
	 * The longest {@link #send} can take, so the consumer's poll interval can allow for
	 * it.
	 */
	public Duration longestSend() {
		Duration total = Duration.ZERO;
		for (int attempt = 1; attempt <= this.maxAttempts; attempt++) {
			total = total.plus(this.timeout).plus(BACKOFF.delay(attempt));
		}
		return total;
	}

	private static Counter counter(MeterRegistry registry, String outcome) {
		return Counter.builder("outrigger.work.callbacks")
			.description("Callbacks of finished items, by outcome")
			.tag("outcome", outcome)
			.register(registry);
	}

}
