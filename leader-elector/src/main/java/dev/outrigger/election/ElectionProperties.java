package dev.outrigger.election;

import java.net.URI;
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
 * The leader-elector's settings, from {@code OUTRIGGER_ELECTION_*} environment variables.
 *
 * @param backend {@code OUTRIGGER_ELECTION_BACKEND}: kubernetes, kafka, jdbc or
 * standalone; unset picks kubernetes when a service-account token is mounted, else kafka
 * when bootstrap servers are set, else jdbc when a JDBC URL is set, else standalone
 * @param names {@code OUTRIGGER_ELECTION_NAMES}: the elections this sidecar runs, comma
 * separated; the first is the default of every endpoint
 * @param id {@code OUTRIGGER_ELECTION_ID}: this candidate's id; default the hostname (the
 * pod name)
 * @param leaseDuration {@code OUTRIGGER_ELECTION_LEASE_DURATION}: a term unrenewed this
 * long may be taken over (crash failover takes about this long)
 * @param renewDeadline {@code OUTRIGGER_ELECTION_RENEW_DEADLINE}: a leader that cannot
 * renew this long says it no longer leads; less than the lease duration
 * @param retryPeriod {@code OUTRIGGER_ELECTION_RETRY_PERIOD}: how often candidates retry
 * and leaders renew; the renew deadline must exceed 2.2 × this
 * @param notifyUrl {@code OUTRIGGER_ELECTION_NOTIFY_URL}: POST the state JSON here on
 * every change
 * @param labelPod {@code OUTRIGGER_ELECTION_LABEL_POD}: kubernetes only; label the
 * leader's pod {@code outrigger.dev/leader=true} so a Service can select it
 * @param namespace {@code OUTRIGGER_ELECTION_NAMESPACE}: kubernetes only; where the
 * Leases live; default the pod's namespace
 * @param kafka the kafka backend's settings
 * @param jdbc the jdbc backend's settings
 */
@ConfigurationProperties("outrigger.election")
public record ElectionProperties(@Nullable Backend backend, @DefaultValue("default") List<String> names,
		@Nullable String id, @DefaultValue("15s") Duration leaseDuration, @DefaultValue("10s") Duration renewDeadline,
		@DefaultValue("2s") Duration retryPeriod, @Nullable URI notifyUrl, @DefaultValue("false") boolean labelPod,
		@Nullable String namespace, @DefaultValue Kafka kafka, @DefaultValue Jdbc jdbc) {

	private static final Pattern ELECTION_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

	public ElectionProperties {
		if (names.isEmpty()) {
			throw new InvalidSettingException("OUTRIGGER_ELECTION_NAMES", "", "expected at least one election name");
		}
		for (String name : names) {
			if (!ELECTION_NAME.matcher(name).matches()) {
				throw new InvalidSettingException("OUTRIGGER_ELECTION_NAMES", String.join(",", names),
						"each name must be 1-63 lowercase letters, digits or '-', starting and ending with a letter or "
								+ "digit (it names a Lease, a topic and a row)");
			}
		}
		if (names.stream().distinct().count() != names.size()) {
			throw new InvalidSettingException("OUTRIGGER_ELECTION_NAMES", String.join(",", names),
					"expected each name once");
		}
		Settings.requirePositive("OUTRIGGER_ELECTION_RETRY_PERIOD", retryPeriod);
		if (renewDeadline.compareTo(leaseDuration) >= 0) {
			throw new InvalidSettingException("OUTRIGGER_ELECTION_RENEW_DEADLINE", Settings.format(renewDeadline),
					"expected less than OUTRIGGER_ELECTION_LEASE_DURATION (" + Settings.format(leaseDuration) + ")");
		}
		if (renewDeadline.toMillis() * 10 <= retryPeriod.toMillis() * 22) {
			throw new InvalidSettingException("OUTRIGGER_ELECTION_RENEW_DEADLINE", Settings.format(renewDeadline),
					"expected more than 2.2 × OUTRIGGER_ELECTION_RETRY_PERIOD (" + Settings.format(retryPeriod) + ")");
		}
		if (backend == Backend.KUBERNETES && leaseDuration.toMillis() % 1000 != 0) {
			throw new InvalidSettingException("OUTRIGGER_ELECTION_LEASE_DURATION", Settings.format(leaseDuration),
					"a Kubernetes Lease counts whole seconds; expected a whole number of seconds such as 15s");
		}
	}

	public ElectionTimings timings() {
		return new ElectionTimings(this.leaseDuration, this.renewDeadline, this.retryPeriod);
	}

	/** Which store decides who leads. */
	public enum Backend {

		KUBERNETES, KAFKA, JDBC, STANDALONE

	}

	/**
	 * @param bootstrapServers {@code OUTRIGGER_ELECTION_KAFKA_BOOTSTRAP_SERVERS}
	 * @param topicPrefix {@code OUTRIGGER_ELECTION_KAFKA_TOPIC_PREFIX}: each election
	 * uses the topic and group {@code <prefix><name>}
	 * @param replicationFactor {@code OUTRIGGER_ELECTION_KAFKA_REPLICATION_FACTOR}: for
	 * the election topics created when absent
	 * @param properties {@code OUTRIGGER_ELECTION_KAFKA_PROPERTIES_*}: more client
	 * settings (TLS, SASL…) for every client, winning over ours, e.g.
	 * {@code OUTRIGGER_ELECTION_KAFKA_PROPERTIES_SECURITY_PROTOCOL=SASL_SSL} sets
	 * {@code security.protocol}
	 */
	public record Kafka(@Nullable String bootstrapServers, @DefaultValue("outrigger-election-") String topicPrefix,
			@DefaultValue("1") short replicationFactor, @DefaultValue Map<String, String> properties) {

		/**
		 * Names the passthrough's keys only: its values may be passwords
		 * ({@code sasl.jaas.config}).
		 */
		@Override
		public String toString() {
			return "Kafka[bootstrapServers=" + this.bootstrapServers + ", topicPrefix=" + this.topicPrefix
					+ ", replicationFactor=" + this.replicationFactor + ", properties keys="
					+ new TreeSet<>(this.properties.keySet()) + "]";
		}

	}

	/**
	 * @param url {@code OUTRIGGER_ELECTION_JDBC_URL}, e.g.
	 * {@code jdbc:postgresql://db:5432/app}
	 * @param username {@code OUTRIGGER_ELECTION_JDBC_USERNAME}
	 * @param password {@code OUTRIGGER_ELECTION_JDBC_PASSWORD}
	 * @param table {@code OUTRIGGER_ELECTION_JDBC_TABLE}: created if absent
	 */
	public record Jdbc(@Nullable String url, @Nullable String username, @Nullable String password,
			@DefaultValue("outrigger_election") String table) {

		/** Says whether a password is set, never which. */
		@Override
		public String toString() {
			return "Jdbc[url=" + this.url + ", username=" + this.username + ", password="
					+ ((this.password != null) ? "******" : null) + ", table=" + this.table + "]";
		}

	}

}
