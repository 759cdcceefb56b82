package dev.outrigger.work;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.outrigger.kit.config.InvalidSettingException;
import dev.outrigger.kit.config.Settings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The work-coordinator's settings, from {@code OUTRIGGER_WORK_*} environment variables.
 *
 * @param mode {@code OUTRIGGER_WORK_MODE}: coordinator (the API, port 4041) or agent
 * (beside a worker, port 4042)
 * @param queues {@code OUTRIGGER_WORK_QUEUES}: agent: the queues this agent takes items
 * from (required); coordinator: queues whose topics are created at start (any valid name
 * is accepted)
 * @param workerUrl {@code OUTRIGGER_WORK_WORKER_URL}: agent: where each item is POSTed
 * @param concurrency {@code OUTRIGGER_WORK_CONCURRENCY}: agent: items in flight at once
 * @param itemTimeout {@code OUTRIGGER_WORK_ITEM_TIMEOUT}: default time one worker call
 * may take; an item may ask for its own
 * @param maxAttempts {@code OUTRIGGER_WORK_MAX_ATTEMPTS}: default attempts before an item
 * is dead; an item may ask for its own
 * @param engine {@code OUTRIGGER_WORK_ENGINE}: auto, share or classic
 * @param group {@code OUTRIGGER_WORK_GROUP}: the Kafka group agents share
 * @param maxItemBytes {@code OUTRIGGER_WORK_MAX_ITEM_BYTES}: the largest item (payload
 * and settings) a submission may carry; Kafka's default message limit is 1 MiB
 * @param reportRunningAfter {@code OUTRIGGER_WORK_REPORT_RUNNING_AFTER}: agent: an
 * attempt still running after this long is reported RUNNING; 0 reports every attempt as
 * it starts
 * @param backoff retry backoff, {@code OUTRIGGER_WORK_BACKOFF_*}
 * @param kafka Kafka connection, {@code OUTRIGGER_WORK_KAFKA_*}
 * @param topics topic naming and creation, {@code OUTRIGGER_WORK_TOPICS_*}
 * @param status status retention, {@code OUTRIGGER_WORK_STATUS_*}
 * @param idempotency idempotency keys, {@code OUTRIGGER_WORK_IDEMPOTENCY_*}
 * @param store the status view's store on local disk, {@code OUTRIGGER_WORK_STORE_*}
 * @param client the producers' access, {@code OUTRIGGER_WORK_CLIENT_*}
 * @param callback callback delivery, {@code OUTRIGGER_WORK_CALLBACK_*}
 */
@ConfigurationProperties("outrigger.work")
public record WorkProperties(@DefaultValue("coordinator") WorkMode mode, @DefaultValue List<String> queues,
		@DefaultValue("http://localhost:8080/work") URI workerUrl, @DefaultValue("8") int concurrency,
		@DefaultValue("30s") Duration itemTimeout, @DefaultValue("5") int maxAttempts,
		@DefaultValue("auto") Engine engine, @DefaultValue("outrigger-work") String group,
		@DefaultValue("921600") int maxItemBytes, @DefaultValue("100ms") Duration reportRunningAfter,
		@DefaultValue Backoff backoff, @DefaultValue Kafka kafka, @DefaultValue Topics topics,
		@DefaultValue Status status, @DefaultValue Idempotency idempotency, @DefaultValue Store store,
		@DefaultValue Client client, @DefaultValue Callback callback) {

	/**
	 * Kafka's legal topic characters, leaving room for our prefix and suffixes within
	 * 249.
	 */
	private static final Pattern QUEUE_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,120}");

	public static final int MAX_ATTEMPTS_LIMIT = 100;

	private static final Duration MAX_REPORT_RUNNING_AFTER = Duration.ofMinutes(1);

	public WorkProperties {
		if (kafka.bootstrapServers() == null || kafka.bootstrapServers().isBlank()) {
			throw new InvalidSettingException("OUTRIGGER_WORK_KAFKA_BOOTSTRAP_SERVERS", "",
					"expected the Kafka bootstrap servers, host:port comma separated");
		}
		for (String queue : queues) {
			if (!QUEUE_NAME.matcher(queue).matches()) {
				throw new InvalidSettingException("OUTRIGGER_WORK_QUEUES", String.join(",", queues),
						"each queue name must be 1-120 letters, digits, '_' or '-' (it names Kafka topics)");
			}
		}
		if (mode == WorkMode.AGENT && queues.isEmpty()) {
			throw new InvalidSettingException("OUTRIGGER_WORK_QUEUES", "",
					"an agent needs at least one queue to take items from");
		}
		Settings.requireBetween("OUTRIGGER_WORK_CONCURRENCY", concurrency, 1, 1024);
		Settings.requireBetween("OUTRIGGER_WORK_MAX_ATTEMPTS", maxAttempts, 1, MAX_ATTEMPTS_LIMIT);
		Settings.requirePositive("OUTRIGGER_WORK_ITEM_TIMEOUT", itemTimeout);
		Settings.requireAtLeast("OUTRIGGER_WORK_MAX_ITEM_BYTES", maxItemBytes, 1024);
		if (reportRunningAfter.isNegative() || reportRunningAfter.compareTo(MAX_REPORT_RUNNING_AFTER) > 0) {
			throw new InvalidSettingException("OUTRIGGER_WORK_REPORT_RUNNING_AFTER",
					Settings.format(reportRunningAfter),
					"expected 0 (report every attempt as it starts) to " + MAX_REPORT_RUNNING_AFTER.toSeconds() + "s");
		}
		if (!"http".equals(workerUrl.getScheme()) && !"https".equals(workerUrl.getScheme())) {
			throw new InvalidSettingException("OUTRIGGER_WORK_WORKER_URL", workerUrl.toString(),
					"expected an http:// or https:// URL");
		}
		if (group.isBlank()) {
			throw new InvalidSettingException("OUTRIGGER_WORK_GROUP", group, "expected a group name");
		}
	}

	/** Which Kafka mechanism hands items to agents. */
	public enum Engine {

		/** Share groups when the broker has them enabled, else classic. */
		AUTO,

		/** Kafka share groups (KIP-932, Kafka 4.2 or later). */
		SHARE,

		/** A classic consumer group with retry and dead-letter topics. */
		CLASSIC

	}

	/**
	 * Retry backoff: attempt n waits {@code initial × multiplier^(n-1)}, at most
	 * {@code max} (the kit's {@link dev.outrigger.kit.Backoff}).
	 *
	 * @param initial {@code OUTRIGGER_WORK_BACKOFF_INITIAL}
	 * @param multiplier {@code OUTRIGGER_WORK_BACKOFF_MULTIPLIER}
	 * @param max {@code OUTRIGGER_WORK_BACKOFF_MAX}
	 */
	public record Backoff(@DefaultValue("1s") Duration initial, @DefaultValue("2.0") double multiplier,
			@DefaultValue("30s") Duration max) {

		public Backoff {
			Settings.requirePositive("OUTRIGGER_WORK_BACKOFF_INITIAL", initial);
			Settings.requirePositive("OUTRIGGER_WORK_BACKOFF_MAX", max);
			if (multiplier < 1.0 || multiplier > 10.0) {
				throw new InvalidSettingException("OUTRIGGER_WORK_BACKOFF_MULTIPLIER", Double.toString(multiplier),
						"expected 1.0 to 10.0");
			}
		}

		/**
		 * The wait before attempt {@code attempt + 1}, after attempt {@code attempt}
		 * failed.
		 */
		public Duration after(int attempt) {
			return toBackoff().delay(attempt);
		}

		public dev.outrigger.kit.Backoff toBackoff() {
			return new dev.outrigger.kit.Backoff(this.initial, this.max, this.multiplier);
		}

	}

	/**
	 * @param bootstrapServers {@code OUTRIGGER_WORK_KAFKA_BOOTSTRAP_SERVERS}
	 * @param properties {@code OUTRIGGER_WORK_KAFKA_PROPERTIES_*}: more client settings
	 * (security, SASL…), e.g.
	 * {@code OUTRIGGER_WORK_KAFKA_PROPERTIES_SECURITY_PROTOCOL=SSL}
	 */
	public record Kafka(@Nullable String bootstrapServers, @DefaultValue Map<String, String> properties) {

		/**
		 * Names the passthrough's keys only: its values may be passwords
		 * ({@code sasl.jaas.config}).
		 */
		@Override
		public String toString() {
			return "Kafka[bootstrapServers=" + this.bootstrapServers + ", properties keys="
					+ new TreeSet<>(this.properties.keySet()) + "]";
		}

	}

	/**
	 * @param prefix {@code OUTRIGGER_WORK_TOPICS_PREFIX}: every topic's name starts with
	 * it
	 * @param partitions {@code OUTRIGGER_WORK_TOPICS_PARTITIONS}: partitions of each
	 * created topic; a classic agent runs at most this many items of a queue at once
	 * @param replicationFactor {@code OUTRIGGER_WORK_TOPICS_REPLICATION_FACTOR}: -1 takes
	 * the broker's default
	 */
	public record Topics(@DefaultValue("outrigger-work.") String prefix, @DefaultValue("12") int partitions,
			@DefaultValue("-1") short replicationFactor) {

		public Topics {
			Settings.requirePositive("OUTRIGGER_WORK_TOPICS_PARTITIONS", partitions);
			if (replicationFactor == 0 || replicationFactor < -1) {
				throw new InvalidSettingException("OUTRIGGER_WORK_TOPICS_REPLICATION_FACTOR",
						Short.toString(replicationFactor), "expected -1 (broker default) or at least 1");
			}
		}

	}

	/**
	 * @param retention {@code OUTRIGGER_WORK_STATUS_RETENTION}: how long a finished
	 * item's status is kept (an item submitted with an idempotency key: at least the
	 * idempotency window)
	 */
	public record Status(@DefaultValue("7d") Duration retention) {

		public Status {
			Settings.requirePositive("OUTRIGGER_WORK_STATUS_RETENTION", retention);
		}

	}

	/**
	 * @param window {@code OUTRIGGER_WORK_IDEMPOTENCY_WINDOW}: how long after its item
	 * finished an idempotency key is remembered at least, whatever the status retention:
	 * a submission with the same key within it queues nothing
	 */
	public record Idempotency(@DefaultValue("24h") Duration window) {

		public Idempotency {
			Settings.requirePositive("OUTRIGGER_WORK_IDEMPOTENCY_WINDOW", window);
		}

	}

	/**
	 * @param dir {@code OUTRIGGER_WORK_STORE_DIR}: where the status view is kept on disk;
	 * on a volume that outlives the container (an {@code emptyDir}), a restart carries on
	 * from where it stopped instead of reading the status topic from its start. Unset: a
	 * temporary directory, removed at stop
	 */
	public record Store(@Nullable Path dir) {

	}

	/**
	 * @param token {@code OUTRIGGER_WORK_CLIENT_TOKEN}: when set, submitting and
	 * cancelling need it as a bearer token (or the admin token); unset, any caller may
	 */
	public record Client(@Nullable String token) {

		/** Never shows the token. */
		@Override
		public String toString() {
			return "Client[token=" + ((this.token != null) ? "(set)" : "(unset)") + "]";
		}

	}

	/**
	 * @param maxAttempts {@code OUTRIGGER_WORK_CALLBACK_MAX_ATTEMPTS}: POSTs of one
	 * callback before it is given up (logged and counted)
	 * @param timeout {@code OUTRIGGER_WORK_CALLBACK_TIMEOUT}: time one callback POST may
	 * take
	 */
	public record Callback(@DefaultValue("10") int maxAttempts, @DefaultValue("10s") Duration timeout) {

		public Callback {
			Settings.requirePositive("OUTRIGGER_WORK_CALLBACK_MAX_ATTEMPTS", maxAttempts);
			Settings.requirePositive("OUTRIGGER_WORK_CALLBACK_TIMEOUT", timeout);
		}

	}

}
