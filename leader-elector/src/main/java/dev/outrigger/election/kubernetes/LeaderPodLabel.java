package dev.outrigger.election.kubernetes;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.outrigger.election.ElectionObserver;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Labels this pod {@code outrigger.dev/leader=true} while it leads one election (the
 * sidecar's first), and removes the label when it stops leading, so a Service can select
 * the leader. The label trails the election by one API call: use it for routing, never
 * for safety.
 */
public final class LeaderPodLabel {

	static final String LABEL = "outrigger.dev/leader";

	private static final Log logger = LogFactory.getLog(LeaderPodLabel.class);

	private final KubernetesClient client;

	private final String namespace;

	private final String pod;

	private final String election;

	// one writer, so a "remove" never overtakes the "set" before it
	private final ExecutorService writer = Executors
		.newSingleThreadExecutor(Thread.ofVirtual().name("leader-label").factory());

	public LeaderPodLabel(KubernetesClient client, String namespace, String pod, String election) {
		this.client = client;
		this.namespace = namespace;
		this.pod = pod;
		this.election = election;
	}

	ElectionObserver follow(String election, String candidate, ElectionObserver observer) {
		if (!this.election.equals(election)) {
			return observer;
		}
		return (observation) -> {
			observer.observe(observation);
			label(candidate.equals(observation.leader()));
		};
	}

	private void label(boolean leading) {
		this.writer.execute(() -> {
			try {
				this.client.pods().inNamespace(this.namespace).withName(this.pod).edit((pod) -> {
					Map<String, String> labels = new HashMap<>(
							(pod.getMetadata().getLabels() != null) ? pod.getMetadata().getLabels() : Map.of());
					if (leading) {
						labels.put(LABEL, "true");
					}
					else {
						labels.remove(LABEL);
					}
					pod.getMetadata().setLabels(labels);
					return pod;
				});
			}
			catch (RuntimeException ex) {
				logger.warn("Could not " + (leading ? "set" : "remove") + " label " + LABEL + " on pod " + this.pod
						+ ": " + ex.getMessage());
			}
		});
	}

}
