package dev.outrigger.ambassador;

/**
 * One backend server of the pool.
 *
 * @param name the name placed on the ring: the configured name, else {@code host:port}
 * (or bare {@code host} when the port is 11211), exactly as twemproxy names unnamed
 * servers
 * @param host where it listens
 * @param port its port
 * @param weight its share of the ring, relative to the others' (≥ 1)
 */
public record Shard(String name, String host, int port, int weight) {

	public String address() {
		return this.host + ":" + this.port;
	}

}
