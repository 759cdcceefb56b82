package dev.outrigger.election.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.outrigger.election.ElectionBackend;
import dev.outrigger.election.ElectionProperties;
import dev.outrigger.election.ElectionProperties.Backend;
import dev.outrigger.election.kubernetes.LeaderPodLabel;
import dev.outrigger.election.kubernetes.LeaseElectionBackend;
import dev.outrigger.kit.config.InvalidSettingException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnElectionBackend(Backend.KUBERNETES)
final class KubernetesBackendConfiguration {

	private static final Path NAMESPACE_FILE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

	@Bean(destroyMethod = "")
	@ConditionalOnMissingBean
	KubernetesClient kubernetesClient() {
		return new KubernetesClientBuilder().build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ElectionBackend leaseElectionBackend(KubernetesClient client, ElectionProperties properties) {
		String namespace = namespace(properties, client);
		LeaderPodLabel label = properties.labelPod()
				? new LeaderPodLabel(client, namespace, podName(), properties.names().getFirst()) : null;
		return new LeaseElectionBackend(client, namespace, properties.timings(), label);
	}

	private static String namespace(ElectionProperties properties, KubernetesClient client) {
		if (properties.namespace() != null && !properties.namespace().isBlank()) {
			return properties.namespace();
		}
		try {
			if (Files.isReadable(NAMESPACE_FILE)) {
				return Files.readString(NAMESPACE_FILE).strip();
			}
		}
		catch (IOException ex) {
			// fall through to the client's configured namespace
		}
		String configured = client.getNamespace();
		if (configured == null || configured.isBlank()) {
			throw new InvalidSettingException("OUTRIGGER_ELECTION_NAMESPACE", "",
					"expected the namespace for the Leases (no service-account namespace is mounted)");
		}
		return configured;
	}

	private static String podName() {
		String pod = System.getenv("HOSTNAME");
		if (pod == null || pod.isBlank()) {
			throw new InvalidSettingException("OUTRIGGER_ELECTION_LABEL_POD", "true",
					"needs the pod name in HOSTNAME; set it (Kubernetes does by default) or turn the label off");
		}
		return pod;
	}

}
