package dev.outrigger.ambassador.testing;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import dev.outrigger.ambassador.Shard;
import dev.outrigger.testsupport.net.LoopbackPorts;
import org.jspecify.annotations.Nullable;

/**
 * A server process for tests, listening on a free loopback port: started with its output in a log
 * file, ready once the port accepts connections, destroyed on {@link #close()} (and when the JVM
 * exits, should a test never get that far). Fault tests can kill, pause, resume and restart it on
 * the same port, so that a proxy in front of it sees the same shard fail and come back.
 */
public final class LoopbackServer implements AutoCloseable {

	private final String name;

	private final Path directory;

	private final IntFunction<List<String>> command;

	private final int port;

	private final Path log;

	private final @Nullable String password;

	private final Thread shutdownHook;

	private volatile @Nullable Process process;

	private LoopbackServer(String name, Path directory, IntFunction<List<String>> command, int port,
			@Nullable String password) {
		this.name = name;
		this.directory = directory;
		this.command = command;
		this.port = port;
		this.log = directory.resolve(name + "-" + port + ".log");
		this.password = password;
		this.shutdownHook = new Thread(this::destroyForcibly, name + "-stop");
	}

	/**
	 * Starts {@code command(port)} in {@code directory} on a free loopback port, trying other ports
	 * when one is taken between choosing it and binding it.
	 */
	public static LoopbackServer start(String name, Path directory, IntFunction<List<String>> command)
			throws IOException, InterruptedException {
		return start(name, directory, command, null);
	}

	/** A redis-server in a fresh temporary directory, without a password. */
	public static LoopbackServer redis() throws IOException, InterruptedException {
		return redis(null);
	}

	/** A redis-server in a fresh temporary directory that requires {@code password}, if not null. */
	public static LoopbackServer redis(@Nullable String password) throws IOException, InterruptedException {
		return redis(Files.createTempDirectory("outrigger-redis-"), password);
	}

	/**
	 * A redis-server keeping its files and log in {@code directory}: no persistence, {@code DEBUG}
	 * allowed from loopback (to make it slow on purpose), {@code requirepass} if a password is given.
	 */
	public static LoopbackServer redis(Path directory, @Nullable String password)
			throws IOException, InterruptedException {
		String redisServer = executable("redis-server");
		return start("redis-server", directory, (port) -> {
			List<String> command = new ArrayList<>(List.of(redisServer, "--port", String.valueOf(port), "--bind",
					"127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir",
					directory.toString(), "--enable-debug-command", "local"));
			if (password != null) {
				command.addAll(List.of("--requirepass", password));
			}
			return command;
		}, password);
	}

	private static LoopbackServer start(String name, Path directory, IntFunction<List<String>> command,
			@Nullable String password) throws IOException, InterruptedException {
		IOException failure = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			LoopbackServer started = new LoopbackServer(name, directory, command, LoopbackPorts.free(), password);
			started.launch(Redirect.to(started.log.toFile()));
			Runtime.getRuntime().addShutdownHook(started.shutdownHook);
			try {
				started.awaitListening();
				return started;
			}
			catch (IOException ex) {
				started.close();
				failure = ex; // most likely the port was taken meanwhile
			}
		}
		throw failure;
	}

	/** The absolute path of an executable on the {@code PATH} (or in {@code /usr/sbin}, {@code /usr/bin}). */
	public static String executable(String name) {
		for (String dir : (System.getenv("PATH") + ":/usr/sbin:/usr/bin").split(":")) {
			Path candidate = Path.of(dir, name);
			if (!dir.isEmpty() && Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		throw new IllegalStateException("No '" + name + "' on the PATH: install it with 'apt-get install -y "
				+ name + "' (Debian) to run these tests");
	}

	public int port() {
		return this.port;
	}

	/** The shard a proxy would configure for this server: named host:port, weight 1. */
	public Shard shard() {
		return new Shard("127.0.0.1:" + this.port, "127.0.0.1", this.port, 1);
	}

	/** A direct connection, bypassing any proxy; authenticated if the server has a password. */
	public RespClient direct() throws IOException {
		RespClient client = new RespClient(this.port);
		if (this.password != null) {
			client.call("AUTH", this.password);
		}
		return client;
	}

	public String log() {
		try {
			return Files.exists(this.log) ? Files.readString(this.log) : "";
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex + ")";
		}
	}

	/** Kills it (SIGKILL): connections are reset, new ones refused. */
	public void kill() throws InterruptedException {
		Process process = this.process;
		process.destroyForcibly();
		process.waitFor(10, TimeUnit.SECONDS);
	}

	/** SIGSTOP: connections stay open, nothing is answered. */
	public void pause() throws IOException, InterruptedException {
		signal("STOP");
	}

	/** SIGCONT, after {@link #pause()}. */
	public void resume() throws IOException, InterruptedException {
		signal("CONT");
	}

	/** Starts the same command again on the same port (after {@link #kill()}) and waits until it listens. */
	public void restart() throws IOException, InterruptedException {
		launch(Redirect.appendTo(this.log.toFile()));
		awaitListening();
	}

	private void launch(Redirect output) throws IOException {
		this.process = new ProcessBuilder(this.command.apply(this.port)).directory(this.directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output)
			.start();
	}

	private void signal(String signal) throws IOException, InterruptedException {
		new ProcessBuilder("kill", "-" + signal, Long.toString(this.process.pid())).inheritIO().start().waitFor();
	}

	private void awaitListening() throws IOException, InterruptedException {
		Process process = this.process;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IOException(this.name + " exited with " + process.exitValue() + ":\n" + log());
			}
			try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
				return;
			}
			catch (IOException ex) {
				Thread.sleep(20);
			}
		}
		throw new IOException(this.name + " did not listen on port " + this.port + " within 10 s:\n" + log());
	}

	private void destroyForcibly() {
		Process process = this.process;
		if (process != null) {
			process.destroyForcibly();
		}
	}

	@Override
	public void close() throws InterruptedException {
		Process process = this.process;
		process.destroy();
		if (!process.waitFor(5, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			process.waitFor(5, TimeUnit.SECONDS);
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is shutting down already
		}
	}

	@Override
	public String toString() {
		return this.name + " on port " + this.port;
	}

}
