package dev.outrigger.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The settings every Kafka client of an Outrigger container starts from. A pattern module
 * adds its own settings for each kind of client (and says there why they differ from
 * Kafka's defaults); this record puts them between the common settings and the operator's
 * passthrough:
 * <ol>
 * <li>{@code bootstrap.servers}, and a {@code client.id} of {@code <instance>-<purpose>},
 * so broker logs, quotas and metrics name the container and what the client is for;</li>
 * <li>the common settings: {@code enable.metrics.push=false} for every client (a broker
 * with a client-metrics subscription would otherwise receive this container's metrics,
 * KIP-714), and for consumers {@code allow.auto.create.topics=false} (a pattern creates
 * its topics itself, with the partitions, replication and retention it needs; a typo must
 * not create a topic with the broker's defaults);</li>
 * <li>the pattern's settings;</li>
 * <li>last, the operator's passthrough ({@code OUTRIGGER_<PATTERN>_KAFKA_PROPERTIES_*}):
 * TLS, SASL, or any other client setting. It wins over everything above, ours
 * included.</li>
 * </ol>
 * <p>
 * How a passthrough key arrives: Spring Boot binds the environment variable
 * {@code OUTRIGGER_WORK_KAFKA_PROPERTIES_SASL_JAAS_CONFIG} to the map {@code properties}
 * of {@code outrigger.work.kafka} under the key {@code sasl.jaas.config}: the prefix is
 * dropped, the rest is lowercased and each {@code _} becomes a {@code .}. Kafka's client
 * setting names are lowercase words joined by dots, so every one of them can be given
 * this way ({@code SECURITY_PROTOCOL} → {@code security.protocol},
 * {@code SSL_TRUSTSTORE_LOCATION} → {@code ssl.truststore.location}). Values are taken as
 * they are.
 *
 * @param bootstrapServers {@code host:port[,host:port…]} of the brokers
 * @param instance names this container (and its pattern); every client id is
 * {@code <instance>-<purpose>}
 * @param passthrough the operator's client settings, applied last
 */
public record KafkaClientSettings(String bootstrapServers, String instance, Map<String, String> passthrough) {

	public KafkaClientSettings {
		if (bootstrapServers == null || bootstrapServers.isBlank()) {
			throw new IllegalArgumentException("bootstrapServers must name at least one broker");
		}
		if (instance == null || instance.isBlank()) {
			throw new IllegalArgumentException("instance must name this container");
		}
		passthrough = (passthrough != null) ? Map.copyOf(passthrough) : Map.of();
	}

	public KafkaClientSettings(String bootstrapServers, String instance) {
		this(bootstrapServers, instance, Map.of());
	}

	/** The client id of this container's client for {@code purpose}. */
	public String clientId(String purpose) {
		return this.instance + "-" + purpose;
	}

	/** An admin client's configuration, a new map the caller may change. */
	public Map<String, Object> admin(String purpose) {
		return admin(purpose, Map.of());
	}

	/**
	 * An admin client's configuration: the common settings, then {@code pattern}, then
	 * the passthrough.
	 */
	public Map<String, Object> admin(String purpose, Map<String, ?> pattern) {
		return build(common(purpose), pattern);
	}

	/**
	 * A producer's configuration: the common settings, then {@code pattern}, then the
	 * passthrough.
	 */
	public Map<String, Object> producer(String purpose, Map<String, ?> pattern) {
		return build(common(purpose), pattern);
	}

	/**
	 * A consumer's configuration (group, share or none): the common settings, then
	 * {@code pattern}, then the passthrough.
	 */
	public Map<String, Object> consumer(String purpose, Map<String, ?> pattern) {
		Map<String, Object> config = common(purpose);
		config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
		return build(config, pattern);
	}

	/**
	 * Names the passthrough's keys only: its values may be passwords
	 * ({@code sasl.jaas.config}).
	 */
	@Override
	public String toString() {
		return "KafkaClientSettings[bootstrapServers=" + this.bootstrapServers + ", instance=" + this.instance
				+ ", passthrough keys=" + new TreeSet<>(this.passthrough.keySet()) + "]";
	}

	private Map<String, Object> common(String purpose) {
		if (purpose == null || purpose.isBlank()) {
			throw new IllegalArgumentException("purpose must say what the client is for");
		}
		Map<String, Object> config = new HashMap<>();
		config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers);
		config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId(purpose));
		config.put(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, false);
		return config;
	}

	private Map<String, Object> build(Map<String, Object> config, Map<String, ?> pattern) {
		config.putAll(pattern);
		config.putAll(this.passthrough);
		return config;
	}

}
