package dev.outrigger.election.kubernetes;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * fabric8's mock API server in CRUD mode, with faults per client: each candidate's client
 * sends its own User-Agent, and a faulted one gets 500s, or requests that are accepted
 * and never answered — the two ways a leader loses its API server — or reads answered
 * only after {@link #SLOW_READ}, as from a loaded API server.
 */
final class FaultyApiServer implements AutoCloseable {

	enum Fault {

		NONE, ERRORS, HANG, SLOW_READS

	}

	/**
	 * How long a {@link Fault#SLOW_READS} read takes: within a client's request timeout.
	 */
	static final Duration SLOW_READ = Duration.ofMillis(1200);

	private final Map<String, Fault> faults = new ConcurrentHashMap<>();

	private final KubernetesMockServer server;

	private final Config config;

	FaultyApiServer() {
		this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
				new FaultInjectingDispatcher(), false);
		this.server.init();
		try (KubernetesClient client = this.server.createClient()) {
			this.config = client.getConfiguration();
		}
	}

	/** A client whose requests can be faulted as {@code name}. */
	KubernetesClient client(String name) {
		Config named = new ConfigBuilder(this.config).withUserAgent(name)
			.withNamespace("test")
			.withRequestTimeout(3_000)
			.build();
		return new KubernetesClientBuilder().withConfig(named).build();
	}

	void fault(String name, Fault fault) {
		this.faults.put(name, fault);
	}

	@Override
	public void close() {
		this.faults.clear();
		this.server.destroy();
	}

	private final class FaultInjectingDispatcher extends KubernetesCrudDispatcher {

		@Override
		public MockResponse dispatch(RecordedRequest request) {
			String agent = request.getHeader("User-Agent");
			Fault fault = (agent != null) ? FaultyApiServer.this.faults.getOrDefault(agent, Fault.NONE) : Fault.NONE;
			switch (fault) {
				case ERRORS -> {
					return new MockResponse().setResponseCode(500).setBody("{\"kind\":\"Status\",\"code\":500}");
				}
				case HANG -> {
					// accepted and never answered in time; delayed without blocking the
					// server's event loop
					return new MockResponse().setResponseCode(500).setBodyDelay(Duration.ofMinutes(1));
				}
				case SLOW_READS -> {
					MockResponse response = super.dispatch(request);
					return "GET".equals(request.getMethod()) ? response.setBodyDelay(SLOW_READ) : response;
				}
				default -> {
					return super.dispatch(request);
				}
			}
		}

	}

}
