package dev.outrigger.testsupport.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.outrigger.testsupport.net.LoopbackPorts;

/**
 * A twemproxy ({@code nutcracker}) from the distribution on a free loopback port, in
 * front of the given shards: one pool, {@code redis: true} and a 5 s timeout unless the
 * pool settings say otherwise.
 *
 * <pre>{@code
 * NutcrackerServer.start(List.of("127.0.0.1:" + a.port() + ":1 a", "127.0.0.1:" + b.port() + ":1 b"),
 *         Map.of("hash", "md5", "distribution", "ketama", "hash_tag", "\"{}\""));
 * }</pre>
 */
public final class NutcrackerServer extends ServerProcess {

	private final String executable;

	private final List<String> servers;

	private final Map<String, String> pool;

	private NutcrackerServer(String executable, List<String> servers, Map<String, String> pool) {
		super("nutcracker", null);
		this.executable = executable;
		this.servers = List.copyOf(servers);
		this.pool = new LinkedHashMap<>();
		this.pool.put("redis", "true");
		this.pool.put("timeout", "5000");
		this.pool.putAll(pool);
	}

	/**
	 * Starts nutcracker with one pool.
	 * @param servers the pool's servers as twemproxy writes them:
	 * {@code host:port:weight [name]}
	 * @param pool any other pool settings ({@code hash}, {@code distribution},
	 * {@code hash_tag}, {@code auto_eject_hosts}...), each value written into the YAML as
	 * given
	 */
	public static NutcrackerServer start(List<String> servers, Map<String, String> pool) {
		NutcrackerServer server = new NutcrackerServer(executable("nutcracker", "nutcracker"), servers, pool);
		server.startOnFreePort();
		return server;
	}

	/** The configuration file it runs with. */
	public Path configFile() {
		return directory().resolve("nutcracker-" + port() + ".yml");
	}

	@Override
	protected List<String> command(int port) throws IOException {
		StringBuilder yaml = new StringBuilder("pool:\n");
		yaml.append("  listen: 127.0.0.1:").append(port).append('\n');
		this.pool.forEach((key, value) -> yaml.append("  ").append(key).append(": ").append(value).append('\n'));
		yaml.append("  servers:\n");
		this.servers.forEach((server) -> yaml.append("   - ").append(server).append('\n'));
		Path config = directory().resolve("nutcracker-" + port + ".yml");
		Files.writeString(config, yaml);
		// its stats port too must be free, or it will not start
		return List.of(this.executable, "-c", config.toString(), "-s", String.valueOf(LoopbackPorts.free()), "-a",
				"127.0.0.1");
	}

}
