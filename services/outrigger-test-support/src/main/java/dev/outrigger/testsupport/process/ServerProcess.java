package dev.outrigger.testsupport.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.outrigger.testsupport.net.LoopbackPorts;
import org.jspecify.annotations.Nullable;

/**
 * A server process for tests on a free loopback port: its output kept in a log file
 * (quoted when it does not come up), ready once the port accepts connections (waited for
 * at most 10 s), started on another port when the chosen one was taken meanwhile, and
 * stopped on {@link #close()} or, should a test never get that far, when the JVM exits.
 * Fault tests can kill, pause, resume and restart it on the same port.
 * {@link RedisServer}, {@link NutcrackerServer} and {@link MemcachedServer} are the ones
 * Outrigger's tests use; {@link #start(String, Path, Command)} runs any other.
 */
public abstract class ServerProcess implements AutoCloseable {

	private static final int ATTEMPTS = 5;

	private static final Duration READY_WITHIN = Duration.ofSeconds(10);

	private final String name;

	private final Path directory;

	private final boolean ownsDirectory;

	private final Thread shutdownHook;

	private int port;

	private @Nullable Path log;

	private volatile @Nullable Process process;

	/**
	 * @param name what the failure messages call it
	 * @param directory its working directory, which holds its log; {@code null} for a
	 * fresh temporary one that {@link #close()} deletes
	 */
	protected ServerProcess(String name, @Nullable Path directory) {
		this.name = name;
		this.ownsDirectory = (directory == null);
		this.directory = (directory != null) ? directory : temporaryDirectory(name);
		this.shutdownHook = new Thread(this::destroyForcibly, name + "-stop");
	}

	/** The command line that runs the server on {@code port}, in the foreground. */
	protected abstract List<String> command(int port) throws IOException;

	/** How long it may take to listen on its port: 10 s unless a server needs more. */
	protected Duration listenWithin() {
		return READY_WITHIN;
	}

	/**
	 * Waits, within a bound, until the server that listens on its port also answers; the
	 * default does not wait.
	 */
	protected void awaitReady() {
	}

	/** Asks the process to shut down; the default sends SIGTERM. */
	protected void requestStop(Process process) {
		process.destroy();
	}

	/**
	 * Starts {@code command(port)} in {@code directory} (a fresh temporary one if
	 * {@code null}) on a free loopback port and waits until it listens.
	 */
	public static ServerProcess start(String name, @Nullable Path directory, Command command) {
		ServerProcess server = new ServerProcess(name, directory) {

			@Override
			protected List<String> command(int port) throws IOException {
				return command.on(port);
			}

		};
		server.startOnFreePort();
		return server;
	}

	/**
	 * The absolute path of {@code executable} on the {@code PATH} (or in
	 * {@code /usr/sbin}, {@code /usr/bin}); when there is none, fails with the one line
	 * that says what to install.
	 */
	public static String executable(String executable, String debianPackage) {
		for (String dir : (System.getenv("PATH") + ":/usr/sbin:/usr/bin").split(":")) {
			Path candidate = Path.of(dir.isEmpty() ? "." : dir, executable);
			if (!dir.isEmpty() && Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		throw new IllegalStateException(executable + " not found: apt-get install " + debianPackage);
	}

	/**
	 * Picks a free loopback port and starts the server on it, trying another port (up to
	 * five in all) when the server reports its port taken between choosing and binding
	 * it.
	 */
	protected final void startOnFreePort() {
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		for (int attempt = 1;; attempt++) {
			this.port = LoopbackPorts.free();
			this.log = this.directory.resolve(this.name + "-" + this.port + ".log");
			try {
				launch(Redirect.to(this.log.toFile()));
				awaitListening();
				awaitReady();
				return;
			}
			catch (RuntimeException ex) {
				stopProcess();
				if (attempt == ATTEMPTS || !log().toLowerCase(Locale.ROOT).contains("already in use")) {
					close();
					throw ex;
				}
			}
		}
	}

	public final int port() {
		return this.port;
	}

	/** Its working directory, which holds its log. */
	public final Path directory() {
		return this.directory;
	}

	/** Everything it printed so far. */
	public final String log() {
		Path log = this.log;
		try {
			return (log != null && Files.exists(log)) ? Files.readString(log) : "";
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex + ")";
		}
	}

	/** Kills it (SIGKILL): connections are reset, new ones refused. */
	public final void kill() {
		Process process = running();
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** SIGSTOP: connections stay open, nothing is answered. */
	public final void pause() {
		signal(running(), "STOP");
	}

	/** SIGCONT, after {@link #pause()}. */
	public final void resume() {
		signal(running(), "CONT");
	}

	/**
	 * Stops it (see {@link #requestStop}; killed if still running 5 s later); it can be
	 * restarted.
	 */
	public final void stop() {
		stopProcess();
	}

	/**
	 * Starts it again on the same port (after {@link #kill()} or {@link #stop()}) and
	 * waits until it listens; does nothing while it runs.
	 */
	public final void restart() {
		Process process = running();
		if (process.isAlive()) {
			return;
		}
		launch(Redirect.appendTo(this.log.toFile()));
		awaitListening();
		awaitReady();
	}

	/** Stops it and deletes its directory if it made one. */
	@Override
	public void close() {
		try {
			stopProcess();
		}
		finally {
			try {
				Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
			}
			catch (IllegalStateException ex) {
				// the JVM is shutting down already
			}
			if (this.ownsDirectory) {
				delete(this.directory);
			}
		}
	}

	@Override
	public String toString() {
		return this.name + " on 127.0.0.1:" + this.port;
	}

	private void launch(Redirect output) {
		try {
			this.process = new ProcessBuilder(command(this.port)).directory(this.directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(output)
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + this.name + ": " + ex.getMessage(), ex);
		}
	}

	private void awaitListening() {
		Process process = running();
		long deadline = System.nanoTime() + listenWithin().toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + process.exitValue()
						+ " instead of listening on port " + this.port + "; its log:\n" + log());
			}
			// a port taken meanwhile answers too, but from another process: ours then
			// fails to
			// bind and exits, which the next turn reports
			if (listensOn(process, this.port)) {
				return;
			}
			try {
				// no event tells when a port opens: poll it, within the deadline
				process.waitFor(20, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for " + this, ex);
			}
		}
		throw new IllegalStateException(this.name + " did not listen on port " + this.port + " within "
				+ listenWithin().toSeconds() + " s; its log:\n" + log());
	}

	/**
	 * Whether {@code process} itself listens on {@code port}: on Linux, one of its file
	 * descriptors is the socket {@code /proc/net/tcp*} lists as listening there;
	 * elsewhere, whether the port accepts a connection.
	 */
	private static boolean listensOn(Process process, int port) {
		Path descriptors = Path.of("/proc", Long.toString(process.pid()), "fd");
		if (!Files.isDirectory(Path.of("/proc/net"))) {
			try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}
		Set<String> listening = new HashSet<>();
		String local = String.format(":%04X", port);
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			try {
				for (String line : Files.readAllLines(Path.of(table))) {
					String[] fields = line.trim().split("\\s+");
					// local_address is fields[1], st (0A = LISTEN) fields[3], inode
					// fields[9]
					if (fields.length > 9 && fields[1].endsWith(local) && fields[3].equals("0A")) {
						listening.add("socket:[" + fields[9] + "]");
					}
				}
			}
			catch (IOException ex) {
				// no IPv6 table on this machine
			}
		}
		if (listening.isEmpty()) {
			return false;
		}
		try (Stream<Path> fds = Files.list(descriptors)) {
			return fds.anyMatch((fd) -> {
				try {
					return listening.contains(Files.readSymbolicLink(fd).toString());
				}
				catch (IOException ex) {
					return false;
				}
			});
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void stopProcess() {
		Process process = this.process;
		if (process == null) {
			return;
		}
		if (process.isAlive()) {
			requestStop(process);
		}
		try {
			if (!process.waitFor(5, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				process.waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private void destroyForcibly() {
		Process process = this.process;
		if (process != null) {
			process.destroyForcibly();
		}
	}

	private Process running() {
		Process process = this.process;
		if (process == null) {
			throw new IllegalStateException(this.name + " was never started");
		}
		return process;
	}

	private static Path temporaryDirectory(String name) {
		try {
			return Files.createTempDirectory("outrigger-" + name + "-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Sends {@code signal} (such as {@code INT}) to the process. */
	protected static void signal(Process process, String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while sending SIG" + signal, ex);
		}
	}

	static void delete(Path root) {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a leftover temporary folder is not worth failing a test over
		}
	}

	/** The command line that runs a server on a given port. */
	@FunctionalInterface
	public interface Command {

		List<String> on(int port) throws IOException;

	}

}
