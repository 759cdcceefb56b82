package dev.outrigger.testsupport.process;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code memcached} from the distribution on a free loopback port (TCP only, 64 MB).
 */
public final class MemcachedServer extends ServerProcess {

	private final String executable;

	private MemcachedServer(String executable) {
		super("memcached", null);
		this.executable = executable;
	}

	public static MemcachedServer start() {
		MemcachedServer server = new MemcachedServer(executable("memcached", "memcached"));
		server.startOnFreePort();
		return server;
	}

	@Override
	protected List<String> command(int port) {
		List<String> command = new ArrayList<>(
				List.of(this.executable, "-l", "127.0.0.1", "-p", String.valueOf(port), "-U", "0", "-m", "64"));
		if ("root".equals(System.getProperty("user.name"))) {
			// memcached refuses to run as root unless told which user to be
			command.addAll(List.of("-u", "root"));
		}
		return command;
	}

}
