package dev.outrigger.ambassador.ring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.outrigger.ambassador.Shard;

/**
 * Reads servers written as twemproxy's {@code servers:} entries, comma separated:
 * {@code host:port:weight [name]}, or {@code /path/to/socket:weight [name]} for a Unix
 * socket.
 * <p>
 * Names follow twemproxy's {@code conf_add_server}: the configured name, else
 * {@code host:port} exactly as written, or the bare {@code host} when the port is 11211
 * (libmemcached's habit). A Unix socket without a name is named after its path followed
 * by a colon ({@code /tmp/r.sock:}), which is what twemproxy 0.5.0 hashes, and gets port
 * 0.
 */
public final class ShardSpecs {

	private static final int LIBMEMCACHED_PORT = 11211;

	private ShardSpecs() {
	}

	/**
	 * The servers in {@code servers}, in the order written.
	 * @throws IllegalArgumentException naming the first bad entry, or two entries with
	 * the same name
	 */
	public static List<Shard> parse(String servers) {
		List<Shard> shards = new ArrayList<>();
		Map<String, String> entryByName = new HashMap<>();
		for (String raw : servers.split(",", -1)) {
			String entry = raw.strip();
			if (entry.isEmpty()) {
				throw new IllegalArgumentException("Invalid servers '" + servers
						+ "': expected comma-separated host:port:weight [name] entries, found an empty one");
			}
			Shard shard = parseOne(entry);
			String previous = entryByName.putIfAbsent(shard.name(), entry);
			if (previous != null) {
				throw new IllegalArgumentException("Servers '" + previous + "' and '" + entry + "' have the same name '"
						+ shard.name() + "': give one of them another name (host:port:weight name)");
			}
			shards.add(shard);
		}
		return List.copyOf(shards);
	}

	private static Shard parseOne(String entry) {
		String address = entry;
		String name = null;
		int space = entry.lastIndexOf(' ');
		if (space >= 0) {
			name = entry.substring(space + 1);
			address = entry.substring(0, space).strip();
		}
		int weightColon = address.lastIndexOf(':');
		if (weightColon < 0) {
			throw invalid(entry, "no weight");
		}
		int weight = number(address.substring(weightColon + 1), entry, "weight");
		if (weight == 0) {
			throw invalid(entry, "the weight must be at least 1");
		}
		String hostAndPort = address.substring(0, weightColon);
		if (hostAndPort.startsWith("/")) {
			if (hostAndPort.indexOf(':') >= 0) {
				throw invalid(entry, "a Unix socket path may not contain ':'");
			}
			return new Shard((name != null) ? name : hostAndPort + ":", hostAndPort, 0, weight);
		}
		int portColon = hostAndPort.lastIndexOf(':');
		if (portColon < 0) {
			throw invalid(entry, "no port");
		}
		String host = hostAndPort.substring(0, portColon);
		String portText = hostAndPort.substring(portColon + 1);
		int port = number(portText, entry, "port");
		if (port < 1 || port > 65535) {
			throw invalid(entry, "the port must be between 1 and 65535");
		}
		if (host.isEmpty()) {
			throw invalid(entry, "no host");
		}
		if (name == null) {
			name = (port == LIBMEMCACHED_PORT) ? host : host + ":" + portText;
		}
		return new Shard(name, host, port, weight);
	}

	private static int number(String text, String entry, String what) {
		if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw invalid(entry, "the " + what + " '" + text + "' is not a number");
		}
		return Integer.parseInt(text);
	}

	private static IllegalArgumentException invalid(String entry, String reason) {
		return new IllegalArgumentException("Invalid server '" + entry + "': " + reason
				+ "; expected host:port:weight [name] or /path/to/socket:weight [name]");
	}

}
