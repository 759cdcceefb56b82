package dev.outrigger.testsupport.kafka;

import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Builds an embedded KRaft broker (one node or three) on loopback, the one broker set-up
 * every module's tests, e2e and the benches share:
 *
 * <pre>{@code
 * EmbeddedKafkaKraftBroker broker = KraftBroker.nodes(1).shareGroups().fastGroups().start();
 * }</pre>
 *
 * Without {@link #shareGroups()} or {@link #fastGroups()} it sets only what a cluster of
 * that size needs (the internal topics' replication factors and minimum in-sync
 * replicas), so a broker with Kafka's defaults is one call away; {@link #properties()}
 * tells what it sets, for printing. The caller
 * {@linkplain EmbeddedKafkaKraftBroker#destroy() destroys} what {@link #start()} returns.
 */
public final class KraftBroker {

	/**
	 * Settings that say where a node listens and keeps its log: they differ every run.
	 */
	private static final Set<String> PLACEMENT = Set.of("broker.id", "node.id", "process.roles", "listeners",
			"advertised.listeners", "listener.security.protocol.map", "inter.broker.listener.name",
			"controller.listener.names", "controller.quorum.voters", "controller.quorum.bootstrap.servers", "log.dirs",
			"log.dir", "metadata.log.dir");

	private final int nodes;

	private final Map<String, String> properties = new LinkedHashMap<>();

	private KraftBroker(int nodes) {
		this.nodes = nodes;
		int minIsr = Math.min(nodes, 2);
		property("offsets.topic.replication.factor", nodes);
		property("transaction.state.log.replication.factor", nodes);
		property("transaction.state.log.min.isr", minIsr);
		if (nodes > 1) {
			// a cluster of three is for tests that lose a broker: their own topics must
			// survive it
			property("default.replication.factor", nodes);
			property("min.insync.replicas", minIsr);
		}
	}

	/**
	 * A cluster of {@code count} brokers: 1, or 3 (with a controller of its own, see
	 * {@link #start()}).
	 */
	public static KraftBroker nodes(int count) {
		if (count != 1 && count != 3) {
			throw new IllegalArgumentException("KraftBroker.nodes: 1 or 3, not " + count);
		}
		return new KraftBroker(count);
	}

	/**
	 * Share groups (KIP-932): the share coordinator's state topic replicated to fit the
	 * node count, with three partitions so it is created quickly.
	 */
	public KraftBroker shareGroups() {
		property("share.coordinator.state.topic.replication.factor", this.nodes);
		property("share.coordinator.state.topic.min.isr", Math.min(this.nodes, 2));
		return property("share.coordinator.state.topic.num.partitions", 3);
	}

	/**
	 * Groups that form at once and accept short sessions: no initial rebalance delay,
	 * sessions down to 500 ms (Kafka's floor is 6 s), and a small offsets topic that is
	 * created quickly.
	 */
	public KraftBroker fastGroups() {
		property("group.initial.rebalance.delay.ms", 0);
		property("group.min.session.timeout.ms", 500);
		return property("offsets.topic.num.partitions", 3);
	}

	/** Any other broker setting; a later call for the same key wins. */
	public KraftBroker property(String key, Object value) {
		this.properties.put(key, String.valueOf(value));
		return this;
	}

	/**
	 * Every broker setting this builder sets, in the order set: what a report should
	 * print.
	 */
	public Map<String, String> properties() {
		return Collections.unmodifiableMap(new LinkedHashMap<>(this.properties));
	}

	/**
	 * Starts the cluster and waits until its brokers are ready. One node is an
	 * {@link EmbeddedKafkaKraftBroker} as Spring Kafka builds it (broker and controller
	 * combined). Three are three brokers and one controller of its own: in Spring Kafka's
	 * combined mode, on Kafka 4.2.1 the three-voter quorum loses its raft threads a
	 * second after it starts ("Received unexpected invalid request error" on an
	 * UpdateVoter response), after which no topic can be created. Broker ids are 0, 1 and
	 * 2 in {@code getCluster().brokers()}.
	 */
	public EmbeddedKafkaKraftBroker start() {
		EmbeddedKafkaKraftBroker broker = (this.nodes == 1) ? new EmbeddedKafkaKraftBroker(1, 1)
				: new SeparateController(this.nodes);
		broker.brokerProperties(this.properties);
		broker.afterPropertiesSet();
		return broker;
	}

	/** The id of the broker leading partition 0 of {@code topic}. */
	public static int leaderOf(EmbeddedKafkaKraftBroker broker, String topic) {
		return broker.doWithAdminFunction((admin) -> {
			try {
				return admin.describeTopics(List.of(topic))
					.allTopicNames()
					.get(30, TimeUnit.SECONDS)
					.get(topic)
					.partitions()
					.get(0)
					.leader()
					.id();
			}
			catch (Exception ex) {
				throw new IllegalStateException("No leader found for " + topic, ex);
			}
		});
	}

	/**
	 * For a benchmark's results: what was asked of the broker and every setting its first
	 * node reports as not Kafka's default (DescribeConfigs), the test kit's own included;
	 * where it listens and keeps its log are named, not valued, since they change every
	 * run.
	 */
	public static String describeSettings(EmbeddedKafkaKraftBroker broker, Map<String, String> asked) {
		return broker.doWithAdminFunction((admin) -> {
			try {
				String node = String
					.valueOf(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id());
				ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, node);
				List<ConfigEntry> set = admin.describeConfigs(List.of(resource))
					.all()
					.get(30, TimeUnit.SECONDS)
					.get(resource)
					.entries()
					.stream()
					.filter((entry) -> entry.source() != ConfigEntry.ConfigSource.DEFAULT_CONFIG)
					.sorted(Comparator.comparing(ConfigEntry::name))
					.toList();
				return "asked (`KraftBroker...properties()`): "
						+ asked.entrySet()
							.stream()
							.map((entry) -> "`" + entry.getKey() + "=" + entry.getValue() + "`")
							.collect(Collectors.joining(", "))
						+ "; every setting the broker reports as not Kafka's default: "
						+ set.stream()
							.filter((entry) -> !PLACEMENT.contains(entry.name()))
							.map((entry) -> "`" + entry.name() + "=" + entry.value() + "`")
							.collect(Collectors.joining(", "))
						+ ", and where it listens and keeps its log ("
						+ set.stream()
							.map(ConfigEntry::name)
							.filter(PLACEMENT::contains)
							.collect(Collectors.joining(", "))
						+ ")";
			}
			catch (Exception ex) {
				throw new IllegalStateException("The broker did not describe its settings", ex);
			}
		});
	}

	/**
	 * Shuts broker {@code id} down for good: a controlled shutdown, handing its
	 * leaderships over.
	 */
	public static void shutDown(EmbeddedKafkaKraftBroker broker, int id) {
		broker.getCluster().brokers().get(id).shutdown();
	}

	/**
	 * {@code nodes} brokers and a controller of their own, behind the API of
	 * {@link EmbeddedKafkaKraftBroker} (whose own cluster is private, so each method that
	 * reads it is overridden here).
	 */
	private static final class SeparateController extends EmbeddedKafkaKraftBroker {

		private final int nodes;

		private final Map<String, String> settings = new LinkedHashMap<>();

		private @Nullable KafkaClusterTestKit cluster;

		SeparateController(int nodes) {
			super(nodes, 1);
			this.nodes = nodes;
		}

		@Override
		public SeparateController brokerProperties(Map<String, String> properties) {
			this.settings.putAll(properties);
			return this;
		}

		@Override
		public SeparateController brokerProperty(String property, Object value) {
			this.settings.put(property, String.valueOf(value));
			return this;
		}

		@Override
		public void afterPropertiesSet() {
			if (this.cluster != null) {
				return;
			}
			TestKitNodes nodes = new TestKitNodes.Builder().setCombined(false)
				.setNumBrokerNodes(this.nodes)
				.setNumControllerNodes(1)
				.build();
			KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
			this.settings.forEach(builder::setConfigProp);
			try {
				KafkaClusterTestKit started = builder.build();
				this.cluster = started;
				started.format();
				started.startup();
				started.waitForReadyBrokers();
			}
			catch (Exception ex) {
				destroy();
				throw new IllegalStateException("Failed to start " + this.nodes + " embedded KRaft brokers", ex);
			}
		}

		@Override
		public void destroy() {
			KafkaClusterTestKit running = this.cluster;
			this.cluster = null;
			if (running != null) {
				try {
					running.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException("Failed to shut down embedded Kafka cluster", ex);
				}
			}
		}

		@Override
		public String getBrokersAsString() {
			return (String) running().clientProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
		}

		@Override
		public KafkaClusterTestKit getCluster() {
			return running();
		}

		@Override
		public void addTopics(String... topics) {
			addTopics(Arrays.stream(topics)
				.map((topic) -> new NewTopic(topic, 1, (short) this.nodes))
				.toArray(NewTopic[]::new));
		}

		@Override
		public void addTopics(NewTopic... topics) {
			doWithAdminFunction(create(topics)).forEach((topic, failure) -> {
				if (failure != null) {
					throw new IllegalStateException("Failed to create topic " + topic, failure);
				}
			});
		}

		@Override
		public Map<String, Exception> addTopicsWithResults(String... topics) {
			return addTopicsWithResults(Arrays.stream(topics)
				.map((topic) -> new NewTopic(topic, 1, (short) this.nodes))
				.toArray(NewTopic[]::new));
		}

		@Override
		public Map<String, Exception> addTopicsWithResults(NewTopic... topics) {
			return doWithAdminFunction(create(topics));
		}

		private static Function<AdminClient, Map<String, Exception>> create(NewTopic... topics) {
			return (admin) -> {
				Map<String, Exception> results = new LinkedHashMap<>();
				admin.createTopics(Arrays.asList(topics)).values().forEach((topic, future) -> {
					try {
						future.get(30, TimeUnit.SECONDS);
						results.put(topic, null);
					}
					catch (Exception ex) {
						results.put(topic, ex);
					}
				});
				return results;
			};
		}

		private KafkaClusterTestKit running() {
			if (this.cluster == null) {
				throw new IllegalStateException("The embedded Kafka cluster is not running");
			}
			return this.cluster;
		}

	}

}
