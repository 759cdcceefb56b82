package dev.outrigger.election;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.outrigger.election.ElectionProperties.Backend;

/**
 * Which backend runs when {@code OUTRIGGER_ELECTION_BACKEND} is unset: kubernetes when a
 * service-account token is mounted, else kafka when bootstrap servers are set, else jdbc
 * when a JDBC URL is set, else standalone.
 */
public final class BackendChoice {

	/** Where Kubernetes mounts a pod's service-account token. */
	public static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

	private BackendChoice() {
	}

	public static Backend of(ElectionProperties properties) {
		return of(properties, Files.isReadable(SERVICE_ACCOUNT_TOKEN));
	}

	static Backend of(ElectionProperties properties, boolean serviceAccountMounted) {
		if (properties.backend() != null) {
			return properties.backend();
		}
		if (serviceAccountMounted) {
			return Backend.KUBERNETES;
		}
		if (hasText(properties.kafka().bootstrapServers())) {
			return Backend.KAFKA;
		}
		if (hasText(properties.jdbc().url())) {
			return Backend.JDBC;
		}
		return Backend.STANDALONE;
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

}
