package dev.outrigger.election.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.outrigger.election.ElectionTimings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jspecify.annotations.Nullable;

/**
 * The backend's one Admin client: creates election topics and learns which session
 * timeouts the brokers accept. Thread-safe; every candidacy's thread calls it.
 */
final class ElectionAdmin implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ElectionAdmin.class);

	private static final String MIN_SESSION = "group.min.session.timeout.ms";

	private static final String MAX_SESSION = "group.max.session.timeout.ms";

	private final Map<String, Object> config;

	private @Nullable Admin admin;

	private final short replicationFactor;

	private final ElectionTimings timings;

	private @Nullable GroupTimings groupTimings;

	ElectionAdmin(Map<String, Object> config, short replicationFactor, ElectionTimings timings) {
		this.config = Map.copyOf(config);
		this.replicationFactor = replicationFactor;
		this.timings = timings;
	}

	/** Creates the election's topic unless it exists: one partition, compacted. */
	void ensureTopic(String topic, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
		NewTopic newTopic = new NewTopic(topic, 1, this.replicationFactor).configs(Map.of(
				TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
				TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInSyncReplicas(this.replicationFactor))));
		try {
			admin().createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof TopicExistsException) {
				return;
			}
			if (!(ex.getCause() instanceof AuthorizationException) || !exists(topic, timeout)) {
				throw ex;
			}
			// not allowed to create topics, but an operator created this one: fine
		}
	}

	private boolean exists(String topic, Duration timeout) throws InterruptedException, TimeoutException {
		try {
			admin().describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (ExecutionException ex) {
			return false;
		}
	}

	/**
	 * A majority of the replicas must hold a term before it counts, so a term survives
	 * the loss of a minority; one or two replicas leave no majority to spare, so one
	 * suffices there.
	 */
	static int minInSyncReplicas(short replicationFactor) {
		return (replicationFactor <= 2) ? 1 : replicationFactor / 2 + 1;
	}

	/**
	 * The group timings for this backend's election timings, once the brokers' bounds are
	 * known.
	 */
	synchronized GroupTimings groupTimings(Duration timeout)
			throws InterruptedException, ExecutionException, TimeoutException {
		if (this.groupTimings == null) {
			this.groupTimings = lookUpGroupTimings(timeout);
			GroupTimings chosen = this.groupTimings;
			if (!chosen.sessionTimeout().equals(this.timings.leaseDuration())) {
				logger.warn("The Kafka brokers accept group session timeouts between their " + MIN_SESSION + " and "
						+ MAX_SESSION + "; elections use " + chosen.sessionTimeout().toMillis()
						+ "ms instead of the lease duration " + this.timings.leaseDuration().toMillis()
						+ "ms, so a crashed leader is replaced after that long");
			}
		}
		return this.groupTimings;
	}

	private GroupTimings lookUpGroupTimings(Duration timeout)
			throws InterruptedException, ExecutionException, TimeoutException {
		try {
			Collection<Node> nodes = admin().describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (nodes.isEmpty()) {
				throw new TimeoutException("the cluster has no brokers yet");
			}
			ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER,
					String.valueOf(nodes.iterator().next().id()));
			Config config = admin().describeConfigs(List.of(broker))
				.all()
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS)
				.get(broker);
			return GroupTimings.of(this.timings, millis(config, MIN_SESSION, GroupTimings.DEFAULT_MIN_SESSION),
					millis(config, MAX_SESSION, GroupTimings.DEFAULT_MAX_SESSION));
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof AuthorizationException)) {
				throw ex;
			}
			logger.warn("Not allowed to read the Kafka brokers' " + MIN_SESSION + " and " + MAX_SESSION
					+ " (DescribeConfigs on the cluster); assuming Kafka's defaults, 6s and 30m");
			return GroupTimings.withDefaultBounds(this.timings);
		}
	}

	private static Duration millis(@Nullable Config config, String name, Duration fallback) {
		ConfigEntry entry = (config != null) ? config.get(name) : null;
		if (entry == null || entry.value() == null) {
			return fallback;
		}
		try {
			return Duration.ofMillis(Long.parseLong(entry.value()));
		}
		catch (NumberFormatException ex) {
			return fallback;
		}
	}

	/**
	 * Created on first use: a bootstrap address that does not resolve yet fails a
	 * campaign's try, not the backend.
	 */
	private synchronized Admin admin() {
		if (this.admin == null) {
			this.admin = Admin.create(this.config);
		}
		return this.admin;
	}

	@Override
	public synchronized void close() {
		if (this.admin != null) {
			this.admin.close(Duration.ofSeconds(1));
		}
	}

}
