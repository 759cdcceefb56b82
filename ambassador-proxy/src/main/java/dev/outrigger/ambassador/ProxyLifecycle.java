package dev.outrigger.ambassador;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.outrigger.kit.lifecycle.LifecycleParticipant;
import dev.outrigger.kit.lifecycle.Readiness;

/**
 * The proxies' part in the container lifecycle. Drain asks each proxy to refuse new
 * clients and wait, within the deadline, for the requests in flight (the RESP proxy
 * closes its listener; HTTP sharding drains with the web server). Ready while every proxy
 * is: listening, with at least one shard of each kind up.
 */
public final class ProxyLifecycle implements LifecycleParticipant {

	private final List<ShardedProxy> proxies;

	/**
	 * The lifecycle of the given proxies.
	 * @param proxies the proxies that run, in the order their readiness problems are
	 * reported
	 */
	public ProxyLifecycle(List<ShardedProxy> proxies) {
		this.proxies = List.copyOf(proxies);
	}

	@Override
	public String name() {
		return "proxy";
	}

	@Override
	public void drain(Duration deadline) {
		for (ShardedProxy proxy : this.proxies) {
			proxy.drain(deadline);
		}
	}

	@Override
	public Readiness readiness() {
		List<String> problems = this.proxies.stream().map(ShardedProxy::notReady).filter(Objects::nonNull).toList();
		return problems.isEmpty() ? Readiness.ready("listening; shards up")
				: Readiness.notReady(String.join("; ", problems));
	}

}
