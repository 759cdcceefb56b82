package dev.outrigger.work.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics a queue needs, and the status topic, when they are absent. Topics
 * that exist are left as they are: an operator may have created them with other settings
 * on purpose.
 */
public final class TopicProvisioner {

	private static final Log logger = LogFactory.getLog(TopicProvisioner.class);

	private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

	private final Admin admin;

	private final QueueTopics topics;

	private final int partitions;

	private final short replicationFactor;

	private final Set<String> provisioned = ConcurrentHashMap.newKeySet();

	public TopicProvisioner(Admin admin, QueueTopics topics, int partitions, short replicationFactor) {
		this.admin = admin;
		this.topics = topics;
		this.partitions = partitions;
		this.replicationFactor = replicationFactor;
	}

	/** Makes sure the items, retry and dead-letter topics of {@code queue} exist. */
	public void ensureQueue(String queue) {
		if (this.provisioned.contains(queue)) {
			return;
		}
		Map<String, String> configs = durability();
		create(List.of(topic(this.topics.items(queue), configs), topic(this.topics.retry(queue), configs),
				topic(this.topics.dead(queue), configs)));
		this.provisioned.add(queue);
	}

	/** Makes sure the compacted status topic exists. */
	public void ensureStatus() {
		Map<String, String> configs = durability();
		configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
		// tombstones of expired items must outlive the time a replica may be down and
		// catching up
		configs.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(1).toMillis()));
		configs.put(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()));
		create(List.of(topic(this.topics.status(), configs)));
	}

	private Map<String, String> durability() {
		Map<String, String> configs = new HashMap<>();
		if (this.replicationFactor >= 3) {
			// acks=all then survives one lost broker and still refuses writes only one
			// copy would hold
			configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
		}
		return configs;
	}

	private NewTopic topic(String name, Map<String, String> configs) {
		Optional<Short> replication = (this.replicationFactor == -1) ? Optional.empty()
				: Optional.of(this.replicationFactor);
		return new NewTopic(name, Optional.of(this.partitions), replication).configs(configs);
	}

	private void create(List<NewTopic> newTopics) {
		CreateTopicsResult result = this.admin.createTopics(newTopics);
		List<String> created = new ArrayList<>();
		for (NewTopic topic : newTopics) {
			try {
				result.values().get(topic.name()).get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				created.add(topic.name());
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof TopicExistsException)) {
					throw new TopicProvisioningException(topic.name(), ex.getCause());
				}
			}
			catch (TimeoutException ex) {
				throw new TopicProvisioningException(topic.name(), ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new TopicProvisioningException(topic.name(), ex);
			}
		}
		if (!created.isEmpty()) {
			logger.info("Created topics " + created + " with " + this.partitions + " partitions");
		}
	}

}
