package dev.outrigger.kit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Who this container is among its replicas: names it in elections, Kafka client ids and
 * status records. The rule: {@code HOSTNAME} (in Kubernetes, the pod name), else the
 * host's name, else a generated id, so two replicas never share an id by accident.
 * Auto-configured as a bean; define your own {@code InstanceId} bean to choose it.
 *
 * @param value the id, never blank
 */
public record InstanceId(String value) {

	public InstanceId {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("An instance id must not be blank");
		}
	}

	/** This container's id, by the rule above. */
	public static InstanceId detect() {
		return detect(System.getenv(), InstanceId::localHostName);
	}

	static InstanceId detect(Map<String, String> environment, Supplier<@Nullable String> hostName) {
		String fromEnvironment = environment.get("HOSTNAME");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return new InstanceId(fromEnvironment.strip());
		}
		String host = hostName.get();
		if (host != null && !host.isBlank()) {
			return new InstanceId(host.strip());
		}
		return generated();
	}

	/** A random id, {@code outrigger-} and 12 hex digits. */
	static InstanceId generated() {
		byte[] random = new byte[6];
		ThreadLocalRandom.current().nextBytes(random);
		return new InstanceId("outrigger-" + HexFormat.of().formatHex(random));
	}

	private static @Nullable String localHostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	@Override
	public String toString() {
		return this.value;
	}

}
