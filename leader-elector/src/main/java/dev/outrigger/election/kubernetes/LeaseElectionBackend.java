package dev.outrigger.election.kubernetes;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import dev.outrigger.election.Candidacy;
import dev.outrigger.election.ElectionBackend;
import dev.outrigger.election.ElectionObserver;
import dev.outrigger.election.ElectionTimings;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.jspecify.annotations.Nullable;

/**
 * Elections on {@code coordination.k8s.io/v1} Leases, one per election in
 * {@code namespace}, run by fabric8's {@code LeaderElector}. The fencing token is the
 * Lease's transitions + 1, which rises every time the holder changes.
 */
public final class LeaseElectionBackend implements ElectionBackend {

	private final KubernetesClient client;

	private final String namespace;

	private final ElectionTimings timings;

	private final @Nullable LeaderPodLabel podLabel;

	private final Executor executor = Executors.newVirtualThreadPerTaskExecutor();

	/**
	 * @param client the API client
	 * @param namespace where the Leases live
	 * @param timings lease, renew and retry durations
	 * @param podLabel labels this pod while it leads the first election, or null
	 */
	public LeaseElectionBackend(KubernetesClient client, String namespace, ElectionTimings timings,
			@Nullable LeaderPodLabel podLabel) {
		this.client = client;
		this.namespace = namespace;
		this.timings = timings;
		this.podLabel = podLabel;
	}

	@Override
	public String name() {
		return "kubernetes";
	}

	@Override
	public Candidacy campaign(String election, String candidate, ElectionObserver observer) {
		ElectionObserver labelled = (this.podLabel != null) ? this.podLabel.follow(election, candidate, observer)
				: observer;
		LeaseCandidacy candidacy = new LeaseCandidacy(this.client, this.namespace, election, candidate, this.timings,
				labelled, this.executor);
		candidacy.start();
		return candidacy;
	}

	@Override
	public void close() {
		this.client.close();
	}

	static Duration jittered(Duration period) {
		return period.plusMillis((long) (period.toMillis() * 0.2 * Math.random()));
	}

}
