package dev.outrigger.election.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.outrigger.testsupport.net.LoopbackPorts;

/**
 * A private PostgreSQL cluster on loopback for tests: Debian's binaries under
 * {@code /usr/lib/postgresql/<version>/bin}, a fresh data directory in a temporary folder, a free
 * port, trust authentication for user {@code postgres}. PostgreSQL refuses to run as root, so as
 * root every command runs as the {@code postgres} user, which owns the temporary folder.
 * The server can be stopped and started again mid-test (same port, same data).
 */
final class PostgresServer implements AutoCloseable {

	private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

	private final Path bin;

	private final Path home;

	private final Path data;

	private final boolean asPostgresUser;

	private final Thread shutdownHook;

	private int port;

	private boolean running;

	private PostgresServer(Path bin, Path home, boolean asPostgresUser) {
		this.bin = bin;
		this.home = home;
		this.data = home.resolve("data");
		this.asPostgresUser = asPostgresUser;
		this.shutdownHook = new Thread(this::stopQuietly, "postgres-test-server-stop");
	}

	/** Creates a cluster in a temporary folder and starts it. */
	static PostgresServer start() throws IOException, InterruptedException {
		Path bin = findBinaries();
		boolean root = "root".equals(System.getProperty("user.name"));
		Path home = Files.createTempDirectory("outrigger-postgres-",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		if (root) {
			UserPrincipalLookupService users = home.getFileSystem().getUserPrincipalLookupService();
			PosixFileAttributeView view = Files.getFileAttributeView(home, PosixFileAttributeView.class);
			view.setOwner(users.lookupPrincipalByName("postgres"));
			GroupPrincipal group = users.lookupPrincipalByGroupName("postgres");
			view.setGroup(group);
		}
		PostgresServer server = new PostgresServer(bin, home, root);
		Runtime.getRuntime().addShutdownHook(server.shutdownHook);
		server.run("initdb", "-D", server.data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
				"--no-sync", "--no-instructions");
		IOException failure = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			server.port = LoopbackPorts.free();
			try {
				server.startAgain();
				return server;
			}
			catch (IOException ex) {
				failure = ex; // most likely the port was taken meanwhile
			}
		}
		server.close();
		throw failure;
	}

	String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
	}

	String username() {
		return "postgres";
	}

	Connection connect() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(), "postgres", "");
	}

	/** Stops the server (fast shutdown: sessions are cut off). */
	synchronized void stop() throws IOException, InterruptedException {
		if (this.running) {
			run("pg_ctl", "stop", "-D", this.data.toString(), "-m", "fast", "-w", "-t", "30");
			this.running = false;
		}
	}

	/** Starts the server again on the same port and data; returns once it accepts connections. */
	synchronized void startAgain() throws IOException, InterruptedException {
		if (this.running) {
			return;
		}
		String options = String.join(" ", "-p", String.valueOf(this.port), "-k", this.home.toString(), "-c",
				"listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
				"full_page_writes=off");
		run("pg_ctl", "start", "-D", this.data.toString(), "-w", "-t", "30", "-l",
				this.home.resolve("server.log").toString(), "-o", options);
		this.running = true;
	}

	@Override
	public synchronized void close() throws IOException, InterruptedException {
		try {
			stop();
		}
		finally {
			try {
				Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
			}
			catch (IllegalStateException ex) {
				// shutting down already
			}
			delete(this.home);
		}
	}

	private void stopQuietly() {
		try {
			if (this.running) {
				run("pg_ctl", "stop", "-D", this.data.toString(), "-m", "immediate", "-w", "-t", "10");
			}
		}
		catch (IOException | InterruptedException ex) {
			// the JVM is exiting
		}
	}

	private void run(String program, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		if (this.asPostgresUser) {
			command.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		command.add(this.bin.resolve(program).toString());
		command.addAll(List.of(arguments));
		Path output = Files.createTempFile("outrigger-postgres-" + program + "-", ".log");
		try {
			Process process = new ProcessBuilder(command).directory(this.home.toFile())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			int exit = process.waitFor();
			if (exit != 0) {
				throw new IOException(String.join(" ", command) + " exited with " + exit + ":\n" + Files.readString(output)
						+ serverLog());
			}
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private String serverLog() {
		Path log = this.home.resolve("server.log");
		try {
			return Files.exists(log) ? "\nserver.log:\n" + Files.readString(log) : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static Path findBinaries() throws IOException {
		if (!Files.isDirectory(DEBIAN_ROOT)) {
			throw new IllegalStateException("No PostgreSQL under " + DEBIAN_ROOT + ": install it with "
					+ "'apt-get install -y postgresql' (Debian) to run these tests");
		}
		try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
			return versions.map((version) -> version.resolve("bin"))
				.filter((bin) -> Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb")))
				.max(Comparator.comparingInt(PostgresServer::majorVersion))
				.orElseThrow(() -> new IllegalStateException("No PostgreSQL server binaries under " + DEBIAN_ROOT
						+ "/*/bin: install them with 'apt-get install -y postgresql'"));
		}
	}

	private static int majorVersion(Path bin) {
		try {
			return Integer.parseInt(bin.getParent().getFileName().toString());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static void delete(Path root) throws IOException {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
	}

}
