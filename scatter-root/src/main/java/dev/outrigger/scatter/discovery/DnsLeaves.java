package dev.outrigger.scatter.discovery;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.outrigger.scatter.LeafDirectory;
import dev.outrigger.scatter.Shard;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Every address of a name a shard: a Kubernetes headless Service resolves to its ready
 * pods' addresses. Resolved again every interval; a name that does not resolve (a Service
 * with no ready pod answers NXDOMAIN) has no leaves until it does. Addresses are sorted,
 * so shard numbers stay put while membership holds.
 */
public final class DnsLeaves implements LeafDirectory {

	private static final Log logger = LogFactory.getLog(DnsLeaves.class);

	private final URI template;

	private final Resolver resolver;

	// a lookup blocks: on a virtual thread of its own, so nothing else waits for DNS
	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("scatter-dns").factory());

	private final ScheduledFuture<?> refresh;

	private volatile List<Shard> shards = List.of();

	private volatile @Nullable String problem;

	/**
	 * @param template a leaf URL whose host is the name to resolve, such as
	 * {@code http://leaves.default.svc:8080}
	 * @param interval how often to resolve it again
	 * @param resolver the name service (the JDK's, or a test's)
	 */
	public DnsLeaves(URI template, Duration interval, Resolver resolver) {
		this.template = template;
		this.resolver = resolver;
		resolve();
		this.refresh = this.scheduler.scheduleWithFixedDelay(this::resolve, interval.toMillis(), interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	void resolve() {
		String host = this.template.getHost();
		try {
			InetAddress[] addresses = this.resolver.resolve(host);
			List<Shard> found = Arrays.stream(addresses)
				.map(DnsLeaves::literal)
				.distinct()
				.sorted(Comparator.naturalOrder())
				.map((address) -> Shard.of(withHost(this.template, address)))
				.toList();
			if (!found.equals(this.shards)) {
				logger.info("Leaves of " + host + ": " + found.stream().map(Shard::id).toList());
			}
			this.shards = found;
			this.problem = found.isEmpty() ? host + " has no addresses" : null;
		}
		catch (UnknownHostException ex) {
			if (!this.shards.isEmpty()) {
				logger.warn("Leaves of " + host + ": the name does not resolve (" + ex.getMessage()
						+ "); no leaves until it does");
			}
			this.shards = List.of();
			this.problem = host + " does not resolve";
		}
		catch (RuntimeException ex) {
			logger.warn("Leaves of " + host + " could not be resolved; keeping the last ones", ex);
		}
	}

	private static String literal(InetAddress address) {
		String text = address.getHostAddress();
		return (address instanceof Inet6Address) ? "[" + text + "]" : text;
	}

	private static URI withHost(URI template, String host) {
		String port = (template.getPort() >= 0) ? ":" + template.getPort() : "";
		String path = (template.getRawPath() != null) ? template.getRawPath() : "";
		return URI.create(template.getScheme() + "://" + host + port + path);
	}

	@Override
	public List<Shard> shards() {
		return this.shards;
	}

	@Override
	public String describe() {
		return "dns " + this.template;
	}

	@Override
	public @Nullable String problem() {
		return this.problem;
	}

	@Override
	public void close() {
		this.refresh.cancel(false);
		this.scheduler.shutdownNow();
	}

	/** Looks a name up; {@code InetAddress::getAllByName} in production. */
	@FunctionalInterface
	public interface Resolver {

		InetAddress[] resolve(String host) throws UnknownHostException;

	}

}
