package dev.outrigger.testsupport.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A one-node embedded KRaft broker whose client listener wants SASL/PLAIN over plaintext,
 * with one client user, for tests of what an operator's security settings do.
 * <p>
 * Kafka's test kit (under spring-kafka-test's {@link EmbeddedKafkaKraftBroker}) names the
 * client listener {@code EXTERNAL} and the KRaft listener {@code CONTROLLER}, and sets
 * the listener security map only when none is given. So the broker properties here map
 * {@code EXTERNAL} to {@code SASL_PLAINTEXT} (the controller stays {@code PLAINTEXT}),
 * enable the PLAIN mechanism, and give the listener a JAAS configuration whose
 * {@code user_<name>} entries are the accounts. The same listener is the inter-broker
 * one: the broker itself logs in there as {@value #BROKER_USER} (it sends transaction
 * markers to itself), so that account exists too. No authorizer: any user who logs in may
 * do anything. <pre>{@code
 * try (SaslPlainBroker broker = SaslPlainBroker.start("app", "app-secret", Map.of())) {
 *     Map<String, String> client = SaslPlainBroker.clientProperties("app", "app-secret");
 *     ...
 * }
 * }</pre>
 */
public final class SaslPlainBroker implements AutoCloseable {

	/** The account the broker uses on its own inter-broker listener. */
	public static final String BROKER_USER = "broker";

	private static final String BROKER_PASSWORD = "broker-secret";

	private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule required";

	private final EmbeddedKafkaKraftBroker broker;

	private SaslPlainBroker(EmbeddedKafkaKraftBroker broker) {
		this.broker = broker;
	}

	/**
	 * Starts a broker that lets {@code user} in with {@code password}; {@code more}
	 * broker properties are added last (later wins).
	 */
	public static SaslPlainBroker start(String user, String password, Map<String, String> more) {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
		broker.brokerProperties(brokerProperties(user, password));
		broker.brokerProperties(more);
		broker.afterPropertiesSet();
		return new SaslPlainBroker(broker);
	}

	/**
	 * What a one-node test-kit broker needs for a SASL/PLAIN client listener that lets
	 * {@code user} in with {@code password}, and transactions on one node.
	 */
	public static Map<String, String> brokerProperties(String user, String password) {
		if (BROKER_USER.equals(user)) {
			throw new IllegalArgumentException("'" + BROKER_USER + "' is the broker's own account");
		}
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("listener.security.protocol.map", "EXTERNAL:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
		properties.put("sasl.enabled.mechanisms", "PLAIN");
		properties.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
		properties.put("listener.name.external.plain.sasl.jaas.config",
				PLAIN_LOGIN + " username=\"" + BROKER_USER + "\" password=\"" + BROKER_PASSWORD + "\" user_"
						+ BROKER_USER + "=\"" + BROKER_PASSWORD + "\" user_" + user + "=\"" + password + "\";");
		// one node: the internal topics cannot have more replicas than that
		properties.put("offsets.topic.replication.factor", "1");
		properties.put("transaction.state.log.replication.factor", "1");
		properties.put("transaction.state.log.min.isr", "1");
		return properties;
	}

	/** The client settings that log in as {@code user} with {@code password}. */
	public static Map<String, String> clientProperties(String user, String password) {
		return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
				PLAIN_LOGIN + " username=\"" + user + "\" password=\"" + password + "\";");
	}

	public String bootstrapServers() {
		return this.broker.getBrokersAsString();
	}

	public EmbeddedKafkaKraftBroker broker() {
		return this.broker;
	}

	@Override
	public void close() {
		this.broker.destroy();
	}

}
