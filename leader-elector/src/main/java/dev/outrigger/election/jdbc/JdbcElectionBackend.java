package dev.outrigger.election.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import dev.outrigger.election.Candidacy;
import dev.outrigger.election.ElectionBackend;
import dev.outrigger.election.ElectionObserver;
import dev.outrigger.election.ElectionTimings;
import dev.outrigger.election.LeaderObservation;

/**
 * Elects leaders with one lease row per election in a PostgreSQL table of our own.
 * <p>
 * A candidate takes the row when it is free, expired or already its own, in one
 * {@code INSERT … ON CONFLICT … DO UPDATE … WHERE … RETURNING} statement; the fencing
 * token rises in that same statement whenever a new term begins, so it is as durable as
 * the lease. Expiry is judged by the database's clock only ({@code clock_timestamp()}),
 * never a candidate's. A leader stops claiming to lead once the renew deadline has passed
 * since it <em>sent</em> its last successful renewal, measured on its own monotonic
 * clock, which is before the lease can expire for anyone else (lease duration &gt; renew
 * deadline), whatever the database or network does.
 * <p>
 * Candidate ids must be unique: a candidate that finds its own id in the row takes the
 * row at once (with a new token), as a restarted pod does with client-go. Never delete
 * rows: the fencing token lives in them.
 */
public final class JdbcElectionBackend implements ElectionBackend {

	private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private final DataSource dataSource;

	private final String table;

	private final ElectionTimings timings;

	private final String acquireSql;

	private final String observeSql;

	private final String releaseSql;

	private final String createSql;

	private final int networkTimeoutMillis;

	private final ScheduledExecutorService deadlines;

	private final Set<JdbcCandidacy> candidacies = ConcurrentHashMap.newKeySet();

	private final Object schemaMonitor = new Object();

	private volatile boolean schemaReady;

	private volatile boolean closed;

	/**
	 * @param dataSource where the lease table lives (PostgreSQL); see
	 * {@link JdbcElectionDataSource} for a pool with timeouts that suit {@code timings}
	 * @param table the lease table, created if absent: lowercase letters, digits and
	 * {@code _}, optionally qualified by a schema ({@code schema.table})
	 * @param timings the election's timings
	 */
	public JdbcElectionBackend(DataSource dataSource, String table, ElectionTimings timings) {
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		this.timings = Objects.requireNonNull(timings, "timings");
		this.table = quotedTable(Objects.requireNonNull(table, "table"));
		this.networkTimeoutMillis = (int) Math.max(100, Math.min(Integer.MAX_VALUE, timings.retryPeriod().toMillis()));
		String lease = "%1$s.renewed_at + %1$s.lease_ms * interval '1 millisecond'";
		// a renewal keeps the token only when the row still holds this candidate's term;
		// anything
		// else (a free, expired or stale row) starts a new term with the next token
		this.acquireSql = """
				INSERT INTO %s AS e (election, holder, fencing_token, renewed_at, lease_ms)
				VALUES (?, ?, 1, clock_timestamp(), ?)
				ON CONFLICT (election) DO UPDATE SET
				    holder = excluded.holder,
				    fencing_token = CASE WHEN e.holder = excluded.holder AND e.fencing_token = ?
				        THEN e.fencing_token ELSE e.fencing_token + 1 END,
				    renewed_at = clock_timestamp(),
				    lease_ms = excluded.lease_ms
				WHERE e.holder IS NULL OR e.holder = excluded.holder OR %s < clock_timestamp()
				RETURNING e.fencing_token""".formatted(this.table, lease.formatted("e"));
		this.observeSql = """
				SELECT r.holder, r.fencing_token FROM %s AS r
				WHERE r.election = ? AND r.holder IS NOT NULL AND %s >= clock_timestamp()""".formatted(this.table,
				lease.formatted("r"));
		this.releaseSql = "UPDATE %s SET holder = NULL WHERE election = ? AND holder = ? AND fencing_token = ?"
			.formatted(this.table);
		this.createSql = """
				CREATE TABLE IF NOT EXISTS %s (
				    election text PRIMARY KEY,
				    holder text NULL,
				    fencing_token bigint NOT NULL,
				    renewed_at timestamptz NOT NULL,
				    lease_ms bigint NOT NULL)""".formatted(this.table);
		this.deadlines = Executors.newSingleThreadScheduledExecutor(
				(task) -> Thread.ofPlatform().daemon().name("outrigger-election-jdbc-deadlines").unstarted(task));
	}

	@Override
	public String name() {
		return "jdbc";
	}

	@Override
	public Candidacy campaign(String election, String candidate, ElectionObserver observer) {
		Objects.requireNonNull(election, "election");
		Objects.requireNonNull(candidate, "candidate");
		Objects.requireNonNull(observer, "observer");
		if (this.closed) {
			throw new IllegalStateException("The jdbc election backend is closed");
		}
		JdbcCandidacy candidacy = new JdbcCandidacy(this, election, candidate, observer, this.timings);
		this.candidacies.add(candidacy);
		candidacy.start();
		return candidacy;
	}

	/**
	 * Stops any candidacy still running and the deadline timer; the data source stays
	 * open (not ours).
	 */
	@Override
	public void close() {
		this.closed = true;
		List.copyOf(this.candidacies).forEach(JdbcCandidacy::stop);
		this.deadlines.shutdownNow();
	}

	/** The quoted table name as used in SQL. */
	String table() {
		return this.table;
	}

	void forget(JdbcCandidacy candidacy) {
		this.candidacies.remove(candidacy);
	}

	/**
	 * Runs {@code task} after {@code delayNanos} on the deadline timer (unless closed).
	 */
	void schedule(Runnable task, long delayNanos) {
		try {
			this.deadlines.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closed: every candidacy has stopped and said nobody leads
		}
	}

	/**
	 * One campaign step, committed before it returns: takes or renews the lease if it
	 * can, else reads who holds it.
	 * @param heldToken the token of this candidate's current term, 0 if none
	 */
	Attempt attempt(String election, String candidate, long heldToken) throws SQLException {
		ensureSchema();
		try (Connection connection = connect()) {
			Attempt attempt = campaignStep(connection, election, candidate, heldToken);
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
			return attempt;
		}
	}

	private Attempt campaignStep(Connection connection, String election, String candidate, long heldToken)
			throws SQLException {
		try (PreparedStatement acquire = connection.prepareStatement(this.acquireSql)) {
			acquire.setString(1, election);
			acquire.setString(2, candidate);
			acquire.setLong(3, this.timings.leaseDuration().toMillis());
			acquire.setLong(4, heldToken);
			try (ResultSet won = acquire.executeQuery()) {
				if (won.next()) {
					long token = won.getLong(1);
					return new Attempt(new LeaderObservation(candidate, token), token);
				}
			}
		}
		try (PreparedStatement observe = connection.prepareStatement(this.observeSql)) {
			observe.setString(1, election);
			try (ResultSet holder = observe.executeQuery()) {
				if (holder.next()) {
					return new Attempt(new LeaderObservation(holder.getString(1), holder.getLong(2)), 0);
				}
				return new Attempt(LeaderObservation.nobody(), 0);
			}
		}
	}

	/** Frees the row if it still holds this candidate's term; returns whether it did. */
	boolean release(String election, String candidate, long token) throws SQLException {
		try (Connection connection = connect();
				PreparedStatement release = connection.prepareStatement(this.releaseSql)) {
			release.setString(1, election);
			release.setString(2, candidate);
			release.setLong(3, token);
			boolean released = release.executeUpdate() > 0;
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
			return released;
		}
	}

	private void ensureSchema() throws SQLException {
		if (this.schemaReady) {
			return;
		}
		synchronized (this.schemaMonitor) {
			if (this.schemaReady) {
				return;
			}
			try (Connection connection = connect()) {
				if (!exists(connection)) {
					create(connection);
				}
			}
			this.schemaReady = true;
		}
	}

	private boolean exists(Connection connection) throws SQLException {
		try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
			query.setString(1, this.table);
			try (ResultSet result = query.executeQuery()) {
				result.next();
				boolean exists = result.getBoolean(1);
				if (!connection.getAutoCommit()) {
					connection.commit();
				}
				return exists;
			}
		}
	}

	private void create(Connection connection) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		connection.setAutoCommit(false);
		try {
			// concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog:
			// serialize it
			try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
				lock.setString(1, "outrigger-election-schema:" + this.table);
				lock.execute();
			}
			try (PreparedStatement create = connection.prepareStatement(this.createSql)) {
				create.execute();
			}
			connection.commit();
		}
		catch (SQLException | RuntimeException ex) {
			try {
				connection.rollback();
			}
			catch (SQLException rollbackFailure) {
				ex.addSuppressed(rollbackFailure);
			}
			throw ex;
		}
		finally {
			connection.setAutoCommit(autoCommit);
		}
	}

	/**
	 * A connection whose reads give up after one retry period, so no step blocks the
	 * campaign for long even on a data source without socket or statement timeouts of its
	 * own.
	 */
	private Connection connect() throws SQLException {
		Connection connection = this.dataSource.getConnection();
		try {
			connection.setNetworkTimeout(Runnable::run, this.networkTimeoutMillis);
		}
		catch (SQLFeatureNotSupportedException ex) {
			// the renew deadline still holds: it does not depend on any timeout
		}
		catch (SQLException | RuntimeException ex) {
			try {
				connection.close();
			}
			catch (SQLException closeFailure) {
				ex.addSuppressed(closeFailure);
			}
			throw ex;
		}
		return connection;
	}

	/** Validates and quotes a (schema-qualified) table name. */
	static String quotedTable(String table) {
		String[] parts = table.split("\\.", -1);
		if (parts.length > 2 || !Arrays.stream(parts).allMatch((part) -> IDENTIFIER.matcher(part).matches())) {
			throw new IllegalArgumentException("Invalid election table name '" + table + "': expected 1-63 lowercase "
					+ "letters, digits or '_' not starting with a digit, optionally qualified by a schema named the "
					+ "same way (e.g. outrigger_election or app.outrigger_election)");
		}
		return "\"" + String.join("\".\"", parts) + "\"";
	}

	/**
	 * The statement timeout that suits {@code timings}: the server gives up before the
	 * client does.
	 */
	static Duration statementTimeout(ElectionTimings timings) {
		return Duration.ofMillis(Math.max(100, timings.retryPeriod().toMillis() * 3 / 4));
	}

	/**
	 * What one campaign step found.
	 *
	 * @param observation who leads, as committed
	 * @param heldToken this candidate's token if it leads, else 0
	 */
	record Attempt(LeaderObservation observation, long heldToken) {

		boolean won() {
			return this.heldToken != 0;
		}

	}

}
