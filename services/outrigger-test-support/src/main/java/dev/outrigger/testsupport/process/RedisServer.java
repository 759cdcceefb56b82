package dev.outrigger.testsupport.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A {@code redis-server} from the distribution on a free loopback port: no persistence,
 * {@code DEBUG} allowed from loopback (to make it slow on purpose), {@code requirepass}
 * if given a password.
 */
public final class RedisServer extends ServerProcess {

	private final String executable;

	private final @Nullable String password;

	private RedisServer(String executable, @Nullable Path directory, @Nullable String password) {
		super("redis-server", directory);
		this.executable = executable;
		this.password = password;
	}

	/** A redis-server in a fresh temporary directory, without a password. */
	public static RedisServer start() {
		return start(null);
	}

	/**
	 * A redis-server in a fresh temporary directory that requires {@code password}, if
	 * not null.
	 */
	public static RedisServer start(@Nullable String password) {
		return start(null, password);
	}

	/**
	 * A redis-server keeping its files and log in {@code directory} (a fresh one if
	 * null).
	 */
	public static RedisServer start(@Nullable Path directory, @Nullable String password) {
		RedisServer server = new RedisServer(executable("redis-server", "redis-server"), directory, password);
		server.startOnFreePort();
		return server;
	}

	public @Nullable String password() {
		return this.password;
	}

	@Override
	protected List<String> command(int port) {
		List<String> command = new ArrayList<>(List.of(this.executable, "--port", String.valueOf(port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", directory().toString(),
				"--enable-debug-command", "local"));
		if (this.password != null) {
			command.addAll(List.of("--requirepass", this.password));
		}
		return command;
	}

}
