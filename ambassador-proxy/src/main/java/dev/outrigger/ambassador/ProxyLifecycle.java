package dev.outrigger.ambassador;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.outrigger.ambassador.http.HttpSharding;
import dev.outrigger.ambassador.resp.RespProxy;
import dev.outrigger.kit.lifecycle.LifecycleParticipant;
import dev.outrigger.kit.lifecycle.Readiness;
import org.jspecify.annotations.Nullable;

/**
 * The proxies' part in the container lifecycle. Drain closes the RESP listener (new connections
 * are refused) and waits, within the deadline, for the requests in flight on open connections.
 * Ready while the listener is open and at least one shard of each kind is up.
 */
public final class ProxyLifecycle implements LifecycleParticipant {

	private final @Nullable RespProxy resp;

	private final @Nullable HttpSharding http;

	public ProxyLifecycle(@Nullable RespProxy resp, @Nullable HttpSharding http) {
		this.resp = resp;
		this.http = http;
	}

	@Override
	public String name() {
		return "proxy";
	}

	@Override
	public void drain(Duration deadline) {
		if (this.resp != null) {
			this.resp.stopAccepting();
			this.resp.awaitIdle(deadline);
		}
	}

	@Override
	public Readiness readiness() {
		List<String> problems = new ArrayList<>();
		if (this.resp != null && !this.resp.ready()) {
			problems.add("RESP: not listening, or no Redis shard is up");
		}
		if (this.http != null && !this.http.ready()) {
			problems.add("HTTP: no HTTP shard passes its health check");
		}
		return problems.isEmpty() ? Readiness.ready("listening; shards up") : Readiness.notReady(String.join("; ", problems));
	}

}
