package dev.outrigger.ambassador;

import java.time.Duration;

import dev.outrigger.kit.config.InvalidSettingException;
import dev.outrigger.kit.config.Settings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The ambassador's settings, from {@code OUTRIGGER_AMBASSADOR_*} environment variables
 * (or a twemproxy {@code nutcracker.yml} named by {@code OUTRIGGER_AMBASSADOR_CONFIG};
 * variables win).
 *
 * @param listen {@code OUTRIGGER_AMBASSADOR_LISTEN}: where the app finds "Redis"
 * @param shards {@code OUTRIGGER_AMBASSADOR_SHARDS}: the Redis servers in twemproxy's
 * syntax, {@code host:port:weight [name]}, comma separated
 * @param hash {@code OUTRIGGER_AMBASSADOR_HASH}: twemproxy's hash names (fnv1a_64, md5,
 * murmur, crc32a, …)
 * @param distribution {@code OUTRIGGER_AMBASSADOR_DISTRIBUTION}: ketama, modula or random
 * @param hashTag {@code OUTRIGGER_AMBASSADOR_HASH_TAG}: two characters, e.g. {@code {}};
 * only the part of a key between them is hashed
 * @param timeout {@code OUTRIGGER_AMBASSADOR_TIMEOUT}: per-request deadline at a shard
 * @param connectTimeout {@code OUTRIGGER_AMBASSADOR_CONNECT_TIMEOUT}
 * @param serverConnections {@code OUTRIGGER_AMBASSADOR_SERVER_CONNECTIONS}: pipelined
 * connections per shard (1 keeps read-your-writes)
 * @param password {@code OUTRIGGER_AMBASSADOR_PASSWORD}: AUTH sent to every shard
 * @param autoEject {@code OUTRIGGER_AMBASSADOR_AUTO_EJECT}: take failing shards off the
 * ring (off: their keys get errors and stay where they are)
 * @param serverFailureLimit {@code OUTRIGGER_AMBASSADOR_SERVER_FAILURE_LIMIT}: failures
 * before ejection
 * @param healthCheckInterval {@code OUTRIGGER_AMBASSADOR_HEALTH_CHECK_INTERVAL}: PING
 * period
 * @param maxBulkLength {@code OUTRIGGER_AMBASSADOR_MAX_BULK_LENGTH}: largest bulk string
 * accepted
 * @param threads {@code OUTRIGGER_AMBASSADOR_THREADS}: event loops serving Redis clients;
 * 0 = one per CPU the container may use. One by default, like twemproxy: beside an app on
 * a small CPU share a second loop mostly adds wake-ups (measured on 2 cores: one loop
 * served ~15 % more requests at -P 1 for ~15 % less CPU each)
 * @param http HTTP sharding
 */
@ConfigurationProperties("outrigger.ambassador")
public record AmbassadorProperties(@DefaultValue("127.0.0.1:6379") String listen, @Nullable String shards,
		@DefaultValue("fnv1a_64") String hash, @DefaultValue("ketama") String distribution, @Nullable String hashTag,
		@DefaultValue("1s") Duration timeout, @DefaultValue("1s") Duration connectTimeout,
		@DefaultValue("1") int serverConnections, @Nullable String password, @DefaultValue("false") boolean autoEject,
		@DefaultValue("2") int serverFailureLimit, @DefaultValue("1s") Duration healthCheckInterval,
		@DefaultValue("512MB") DataSize maxBulkLength, @DefaultValue("1") int threads, @DefaultValue Http http) {

	public AmbassadorProperties {
		if ((shards == null || shards.isBlank()) && (http.shards() == null || http.shards().isBlank())) {
			throw new InvalidSettingException("OUTRIGGER_AMBASSADOR_SHARDS", "",
					"expected the Redis shards as host:port:weight [name], comma separated (or set "
							+ "OUTRIGGER_AMBASSADOR_HTTP_SHARDS, or OUTRIGGER_AMBASSADOR_CONFIG to a nutcracker.yml)");
		}
		Settings.requirePositive("OUTRIGGER_AMBASSADOR_TIMEOUT", timeout);
		Settings.requirePositive("OUTRIGGER_AMBASSADOR_CONNECT_TIMEOUT", connectTimeout);
		Settings.requirePositive("OUTRIGGER_AMBASSADOR_HEALTH_CHECK_INTERVAL", healthCheckInterval);
		Settings.requireBetween("OUTRIGGER_AMBASSADOR_SERVER_CONNECTIONS", serverConnections, 1, 64);
		Settings.requirePositive("OUTRIGGER_AMBASSADOR_SERVER_FAILURE_LIMIT", serverFailureLimit);
		if (threads < 0 || threads > 256) {
			throw new InvalidSettingException("OUTRIGGER_AMBASSADOR_THREADS", Integer.toString(threads),
					"expected 1 to 256, or 0 for one per CPU");
		}
		if (maxBulkLength.toBytes() < 1024 || maxBulkLength.toBytes() > Integer.MAX_VALUE) {
			throw new InvalidSettingException("OUTRIGGER_AMBASSADOR_MAX_BULK_LENGTH", maxBulkLength.toString(),
					"expected from 1KB to 2047MB");
		}
	}

	/** Event loops for the RESP listener. */
	public int eventLoops() {
		return (this.threads > 0) ? this.threads : Runtime.getRuntime().availableProcessors();
	}

	/**
	 * HTTP sharding: requests to {@code port} go to the shard their key hashes to.
	 *
	 * @param shards {@code OUTRIGGER_AMBASSADOR_HTTP_SHARDS}: HTTP servers in the same
	 * syntax as the Redis shards; HTTP sharding is off when unset
	 * @param port {@code OUTRIGGER_AMBASSADOR_HTTP_PORT}
	 * @param key {@code OUTRIGGER_AMBASSADOR_HTTP_KEY}: where the key is:
	 * {@code header:<name>}, {@code path:<segment index from 0>} or
	 * {@code query:<parameter>}
	 * @param missingKey {@code OUTRIGGER_AMBASSADOR_HTTP_MISSING_KEY}: {@code reject}
	 * (400), {@code random}, or {@code shard:<name>}
	 * @param healthPath {@code OUTRIGGER_AMBASSADOR_HTTP_HEALTH_PATH}: probed on every
	 * shard; any answer below 500 counts as up
	 * @param timeout {@code OUTRIGGER_AMBASSADOR_HTTP_TIMEOUT}: per-request deadline at a
	 * shard
	 */
	public record Http(@Nullable String shards, @DefaultValue("4045") int port,
			@DefaultValue("header:X-Shard-Key") String key, @DefaultValue("reject") String missingKey,
			@DefaultValue("/") String healthPath, @DefaultValue("30s") Duration timeout) {
	}

}
