package dev.outrigger.election.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.outrigger.election.ElectionTimings;
import org.jspecify.annotations.Nullable;

/**
 * A small PostgreSQL connection pool whose timeouts suit the election's timings: waiting
 * for a connection, connecting and each statement give up within about one retry period,
 * so a slow or unreachable database costs a few attempts, not the whole renew deadline.
 * The backend's safety does not depend on these timeouts (a leader withdraws its claim at
 * the renew deadline anyway); they only let it retry, and so keep leading, when the
 * database recovers quickly.
 */
public final class JdbcElectionDataSource {

	private JdbcElectionDataSource() {
	}

	/**
	 * Creates the pool; it connects lazily, so a database that is down at start delays
	 * the first election instead of failing the container.
	 * @param url the JDBC URL, e.g. {@code jdbc:postgresql://db:5432/app}
	 * @param username the user, or null for the driver's default
	 * @param password the password, or null for none
	 * @param timings the election's timings
	 * @return the pool; the caller closes it after the backend
	 */
	public static HikariDataSource create(String url, @Nullable String username, @Nullable String password,
			ElectionTimings timings) {
		long retry = timings.retryPeriod().toMillis();
		HikariConfig config = new HikariConfig();
		config.setPoolName("outrigger-election");
		config.setJdbcUrl(url);
		if (username != null) {
			config.setUsername(username);
		}
		if (password != null) {
			config.setPassword(password);
		}
		config.setMaximumPoolSize(4);
		config.setMinimumIdle(1);
		config.setInitializationFailTimeout(-1);
		config.setConnectionTimeout(Math.max(250, retry));
		config.setValidationTimeout(250);
		// pgjdbc's own timeouts count whole seconds: backstops for connecting and for
		// reads
		// outside the backend's per-connection network timeout
		config.addDataSourceProperty("connectTimeout", wholeSeconds(retry));
		config.addDataSourceProperty("socketTimeout", wholeSeconds(timings.renewDeadline().toMillis()));
		config.addDataSourceProperty("tcpKeepAlive", true);
		config.addDataSourceProperty("ApplicationName", "outrigger-leader-elector");
		// the server cancels a statement (e.g. one waiting for a row lock) before the
		// client's
		// network timeout fires, so the connection stays usable and no stale renewal
		// commits later
		long statementTimeout = JdbcElectionBackend.statementTimeout(timings).toMillis();
		config.addDataSourceProperty("options", "-c statement_timeout=" + statementTimeout
				+ " -c idle_in_transaction_session_timeout=" + Math.max(1000, 4 * retry));
		return new HikariDataSource(config);
	}

	private static long wholeSeconds(long millis) {
		return Math.max(1, (millis + 999) / 1000);
	}

}
