package dev.outrigger.election.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import dev.outrigger.kafka.KafkaClientSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;

/**
 * The configuration of every Kafka client an election uses: one place that says why each
 * setting differs from Kafka's default. The common settings and the operator's
 * passthrough ({@code OUTRIGGER_ELECTION_KAFKA_PROPERTIES_*}, which wins) come from
 * {@link KafkaClientSettings}.
 */
final class ClientSettings {

	/**
	 * The broker's default {@code transaction.max.timeout.ms}; a longer transaction is
	 * refused.
	 */
	private static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

	private final KafkaClientSettings clients;

	ClientSettings(KafkaClientSettings clients) {
		this.clients = clients;
	}

	Map<String, Object> admin() {
		return this.clients.admin("admin");
	}

	/** The group member whose assignment decides: whoever holds partition 0 leads. */
	Map<String, Object> member(String group, String purpose, GroupTimings timings) {
		Map<String, Object> config = new HashMap<>();
		config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
		// the classic protocol lets each group choose its session timeout (the lease)
		// within the
		// broker's bounds (6 s minimum by default); the consumer protocol (KIP-848) takes
		// it from
		// the broker, 45 s minimum by default, and so cannot keep a 15 s lease
		config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CLASSIC.name().toLowerCase(Locale.ROOT));
		// sticky and incremental: a candidate joining or leaving never takes partition 0
		// from a
		// live leader, and a leaver's partition goes to a survivor in the same rebalance
		config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
		config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, millis(timings.sessionTimeout()));
		config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, millis(timings.heartbeatInterval()));
		config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, millis(timings.maxPollInterval()));
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		return this.clients.consumer(purpose, config);
	}

	/** A reader outside the group that sees only committed terms. */
	Map<String, Object> reader(String purpose) {
		Map<String, Object> config = new HashMap<>();
		// the broker answers one request per connection at a time, so a new leader's
		// look-up of
		// the end offset waits behind the reader's parked fetch: keep that wait short
		// (default 500 ms)
		config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		return this.clients.consumer(purpose, config);
	}

	/**
	 * The transactional writer of terms; every candidate of an election shares its id.
	 */
	Map<String, Object> writer(String transactionalId, String purpose, GroupTimings timings) {
		Map<String, Object> config = new HashMap<>();
		config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
		// bounds every blocking call (initTransactions, commitTransaction) so a term is
		// won or
		// given up within a known time
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis(timings.clientTimeout()));
		config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(timings.clientTimeout()));
		config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis(timings.clientTimeout().multipliedBy(2)));
		// a dead leader's open transaction is aborted by the coordinator after about a
		// lease
		Duration transactionTimeout = timings.sessionTimeout().compareTo(MAX_TRANSACTION_TIMEOUT) < 0
				? timings.sessionTimeout() : MAX_TRANSACTION_TIMEOUT;
		config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, millis(transactionTimeout));
		return this.clients.producer(purpose, config);
	}

	private static int millis(Duration duration) {
		return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
	}

}
