package dev.outrigger.work.agent.share;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.jspecify.annotations.Nullable;

/**
 * Prepares the agents' share group before its first fetch and reads the limits Kafka puts
 * on it. A new share group starts at the end of its topics
 * ({@code share.auto.offset.reset=latest}), which would skip every item queued before the
 * first agent fetched, so the group is set to start at the beginning.
 */
final class ShareGroupSetup {

	private static final Log logger = LogFactory.getLog(ShareGroupSetup.class);

	static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";

	static final String RECORD_LOCK = "share.record.lock.duration.ms";

	/** The group's own delivery limit, where the brokers support one (KIP-1240). */
	static final String GROUP_DELIVERY_LIMIT = "share.delivery.count.limit";

	static final String BROKER_DELIVERY_LIMIT = "group.share.delivery.count.limit";

	private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration DEFAULT_RECORD_LOCK = Duration.ofSeconds(30);

	private static final int DEFAULT_DELIVERY_LIMIT = 5;

	private final Admin admin;

	private final String group;

	ShareGroupSetup(Admin admin, String group) {
		this.admin = admin;
		this.group = group;
	}

	ShareGroupLimits prepare() {
		ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, this.group);
		Config config = describe(resource);
		if (!"earliest".equals(value(config, AUTO_OFFSET_RESET))) {
			startAtTheBeginning(resource);
		}
		String lock = value(config, RECORD_LOCK);
		Duration recordLock = (lock != null) ? Duration.ofMillis(Long.parseLong(lock)) : DEFAULT_RECORD_LOCK;
		String groupLimit = value(config, GROUP_DELIVERY_LIMIT);
		int deliveryLimit = (groupLimit != null) ? Integer.parseInt(groupLimit) : brokerDeliveryLimit();
		return new ShareGroupLimits(recordLock, deliveryLimit);
	}

	private void startAtTheBeginning(ConfigResource resource) {
		AlterConfigOp earliest = new AlterConfigOp(new ConfigEntry(AUTO_OFFSET_RESET, "earliest"),
				AlterConfigOp.OpType.SET);
		try {
			await(this.admin.incrementalAlterConfigs(Map.of(resource, List.of(earliest))).all());
		}
		catch (Exception ex) {
			throw new IllegalStateException(
					"Could not set " + AUTO_OFFSET_RESET + "=earliest on the share group '" + this.group
							+ "' (without it, items queued before the first fetch are skipped): " + ex.getMessage(),
					ex);
		}
	}

	private int brokerDeliveryLimit() {
		try {
			Collection<Node> nodes = await(this.admin.describeCluster().nodes());
			Node node = nodes.iterator().next();
			String limit = value(describe(new ConfigResource(ConfigResource.Type.BROKER, node.idString())),
					BROKER_DELIVERY_LIMIT);
			return (limit != null) ? Integer.parseInt(limit) : DEFAULT_DELIVERY_LIMIT;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the brokers' " + BROKER_DELIVERY_LIMIT + "; assuming Kafka's default of "
					+ DEFAULT_DELIVERY_LIMIT + ": " + ex.getMessage());
			return DEFAULT_DELIVERY_LIMIT;
		}
	}

	private @Nullable Config describe(ConfigResource resource) {
		return await(this.admin.describeConfigs(List.of(resource), new DescribeConfigsOptions()).all()).get(resource);
	}

	private static @Nullable String value(@Nullable Config config, String name) {
		ConfigEntry entry = (config != null) ? config.get(name) : null;
		return (entry != null) ? entry.value() : null;
	}

	private static <T> T await(KafkaFuture<T> future) {
		try {
			return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while asking Kafka about the share group", ex);
		}
		catch (Exception ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new IllegalStateException(cause.getMessage(), cause);
		}
	}

}
