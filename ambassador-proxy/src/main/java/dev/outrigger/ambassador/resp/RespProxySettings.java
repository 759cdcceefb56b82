package dev.outrigger.ambassador.resp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

import dev.outrigger.kit.config.Settings;
import org.jspecify.annotations.Nullable;

/**
 * Everything the RESP proxy needs besides the ring. Invariants are checked here, once; a
 * value that breaks one is reported as the {@code OUTRIGGER_AMBASSADOR_*} variable it
 * comes from (an {@link dev.outrigger.kit.config.InvalidSettingException}).
 *
 * @param listen where clients connect (port 0 picks a free port)
 * @param requestTimeout deadline of each request; a late shard fails only its own
 * requests
 * @param connectTimeout deadline to open a backend connection
 * @param connectionsPerShard multiplexed connections per shard and event loop (1 keeps
 * read-your-writes across clients, as twemproxy's {@code server_connections: 1})
 * @param password sent with AUTH on every backend connection, or {@code null}
 * @param autoEject whether a failing shard leaves the ring (off: its keys get errors)
 * @param failureLimit consecutive failures before a shard is ejected
 * @param healthCheckInterval period of the active PING probe
 * @param maxBulkLength largest bulk string a client may send, in bytes
 * @param maxInlineLength longest inline command line, in bytes
 * @param eventLoops threads serving clients; each has its own connections to every shard
 */
public record RespProxySettings(InetSocketAddress listen, Duration requestTimeout, Duration connectTimeout,
		int connectionsPerShard, @Nullable String password, boolean autoEject, int failureLimit,
		Duration healthCheckInterval, int maxBulkLength, int maxInlineLength, int eventLoops) {

	/** Redis' own default for {@code proto-max-bulk-len}. */
	public static final int DEFAULT_MAX_BULK_LENGTH = 512 * 1024 * 1024;

	/** Redis' own limit for inline commands. */
	public static final int DEFAULT_MAX_INLINE_LENGTH = 64 * 1024;

	public RespProxySettings {
		Objects.requireNonNull(listen, "listen");
		Settings.requirePositive("OUTRIGGER_AMBASSADOR_TIMEOUT",
				Objects.requireNonNull(requestTimeout, "requestTimeout"));
		Settings.requirePositive("OUTRIGGER_AMBASSADOR_CONNECT_TIMEOUT",
				Objects.requireNonNull(connectTimeout, "connectTimeout"));
		Settings.requirePositive("OUTRIGGER_AMBASSADOR_HEALTH_CHECK_INTERVAL",
				Objects.requireNonNull(healthCheckInterval, "healthCheckInterval"));
		Settings.requirePositive("OUTRIGGER_AMBASSADOR_SERVER_CONNECTIONS", connectionsPerShard);
		Settings.requirePositive("OUTRIGGER_AMBASSADOR_SERVER_FAILURE_LIMIT", failureLimit);
		Settings.requirePositive("OUTRIGGER_AMBASSADOR_MAX_BULK_LENGTH", maxBulkLength);
		Settings.requirePositive("OUTRIGGER_AMBASSADOR_THREADS", eventLoops);
		if (maxInlineLength < 16) {
			// no variable sets it: a caller's mistake, not an operator's
			throw new IllegalArgumentException("maxInlineLength must be ≥ 16, was " + maxInlineLength);
		}
		if (password != null && password.isEmpty()) {
			password = null;
		}
	}

	/**
	 * Defaults for everything but the address: 1 s requests, 1 connection, no ejection,
	 * one event loop.
	 */
	public static RespProxySettings defaults(InetSocketAddress listen) {
		return new RespProxySettings(listen, Duration.ofSeconds(1), Duration.ofSeconds(1), 1, null, false, 3,
				Duration.ofSeconds(1), DEFAULT_MAX_BULK_LENGTH, DEFAULT_MAX_INLINE_LENGTH, 1);
	}

}
