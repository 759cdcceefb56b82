package dev.outrigger.ambassador.resp;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.outrigger.ambassador.resp.CommandSpec.Action;

/**
 * The commands the proxy knows. Anything not listed is refused with
 * {@code unknown command}: the proxy never guesses where an unknown command keeps its
 * keys.
 */
final class CommandTable {

	private static final String TRANSACTIONS = "transactions (MULTI/EXEC/WATCH) are not supported by the sharding proxy";

	private static final String BLOCKING = "blocking commands are not supported by the sharding proxy";

	private static final String PUBSUB = "pub/sub is not supported by the sharding proxy";

	private static final String KEYSPACE = "keyspace-wide commands span every shard; run them against each shard directly";

	private static final String ADMIN = "server administration commands must be sent to a shard directly";

	private static final Map<String, CommandSpec> COMMANDS = new HashMap<>();

	static {
		// single key at argument 1: name -> fewest arguments
		single(2, "GET", "GETDEL", "GETEX", "STRLEN", "INCR", "DECR", "BITCOUNT", "BITFIELD", "BITFIELD_RO", "TTL",
				"PTTL", "PERSIST", "TYPE", "DUMP", "EXPIRETIME", "PEXPIRETIME", "HLEN", "HKEYS", "HVALS", "HGETALL",
				"HRANDFIELD", "LPOP", "RPOP", "LLEN", "SCARD", "SMEMBERS", "SPOP", "SRANDMEMBER", "ZCARD", "ZPOPMIN",
				"ZPOPMAX", "ZRANDMEMBER", "PFADD", "GEOHASH", "GEOPOS", "XLEN", "SORT", "SORT_RO");
		single(3, "SET", "SETNX", "GETSET", "APPEND", "INCRBY", "DECRBY", "INCRBYFLOAT", "GETBIT", "BITPOS", "EXPIRE",
				"PEXPIRE", "EXPIREAT", "PEXPIREAT", "HGET", "HMGET", "HDEL", "HEXISTS", "HSTRLEN", "HSCAN", "LPUSH",
				"RPUSH", "LPUSHX", "RPUSHX", "LINDEX", "LPOS", "SADD", "SREM", "SISMEMBER", "SMISMEMBER", "SSCAN",
				"ZREM", "ZSCORE", "ZMSCORE", "ZRANK", "ZREVRANK", "ZSCAN", "XDEL", "XTRIM", "XPENDING", "GEOSEARCH");
		single(4, "SETEX", "PSETEX", "GETRANGE", "SUBSTR", "SETRANGE", "SETBIT", "RESTORE", "HSET", "HSETNX", "HMSET",
				"HINCRBY", "HINCRBYFLOAT", "LRANGE", "LSET", "LREM", "LTRIM", "ZADD", "ZINCRBY", "ZRANGE", "ZREVRANGE",
				"ZRANGEBYSCORE", "ZREVRANGEBYSCORE", "ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZCOUNT", "ZLEXCOUNT",
				"ZREMRANGEBYRANK", "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX", "GEODIST", "XRANGE", "XREVRANGE", "XACK",
				"XCLAIM", "XAUTOCLAIM");
		single(5, "LINSERT", "GEOADD", "XADD");
		// several keys that must share a shard
		put(CommandSpec.keys(3, 1, 2, 1), "RENAME", "RENAMENX", "RPOPLPUSH", "SMOVE", "COPY", "LCS", "ZRANGESTORE",
				"GEOSEARCHSTORE");
		put(CommandSpec.keys(5, 1, 2, 1), "LMOVE");
		put(CommandSpec.keys(2, 1, -1, 1), "SINTER", "SUNION", "SDIFF", "PFCOUNT", "PFMERGE", "SINTERSTORE",
				"SUNIONSTORE", "SDIFFSTORE");
		put(CommandSpec.keys(4, 2, -1, 1), "BITOP");
		put(CommandSpec.numkeys(3, 2, 0), "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO");
		put(CommandSpec.numkeys(4, 2, 1), "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE");
		put(CommandSpec.numkeys(3, 1, 0), "ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD", "SINTERCARD", "LMPOP", "ZMPOP");
		// split and merged
		put(CommandSpec.of(Action.SPLIT_MGET, 2), "MGET");
		put(CommandSpec.of(Action.SPLIT_MSET, 3), "MSET");
		put(CommandSpec.of(Action.SPLIT_SUM, 2), "DEL", "UNLINK", "EXISTS", "TOUCH");
		// answered here
		put(CommandSpec.of(Action.LOCAL, 1), "PING", "ECHO", "QUIT", "COMMAND", "SELECT", "HELLO", "AUTH", "CLIENT");
		// refused
		put(CommandSpec.reject(TRANSACTIONS), "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH");
		put(CommandSpec.reject(BLOCKING), "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BZPOPMIN", "BZPOPMAX", "BLMPOP",
				"BZMPOP", "XREAD", "XREADGROUP", "WAIT", "WAITAOF");
		put(CommandSpec.reject(PUBSUB), "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE",
				"SUNSUBSCRIBE", "PUBLISH", "SPUBLISH", "PUBSUB");
		put(CommandSpec.reject(KEYSPACE), "KEYS", "SCAN", "RANDOMKEY", "DBSIZE", "FLUSHALL", "FLUSHDB", "SWAPDB",
				"MOVE", "MIGRATE", "OBJECT", "MEMORY");
		put(CommandSpec.reject(ADMIN), "INFO", "SCRIPT", "FUNCTION", "CLUSTER", "CONFIG", "DEBUG", "SHUTDOWN", "SAVE",
				"BGSAVE", "BGREWRITEAOF", "LASTSAVE", "REPLICAOF", "SLAVEOF", "MONITOR", "SYNC", "PSYNC", "SLOWLOG",
				"LATENCY", "ACL", "MODULE", "FAILOVER", "READONLY", "READWRITE", "RESET", "TIME", "LOLWUT", "ROLE",
				"XGROUP", "XINFO", "XSETID");
	}

	private CommandTable() {
	}

	/** The spec for an upper-cased command name, or {@code null} if unknown. */
	static @Nullable CommandSpec lookup(String name) {
		return COMMANDS.get(name);
	}

	static int size() {
		return COMMANDS.size();
	}

	private static void single(int minArgs, String... names) {
		put(CommandSpec.keys(minArgs, 1, 1, 1), names);
	}

	private static void put(CommandSpec spec, String... names) {
		for (String name : names) {
			if (COMMANDS.put(name, spec) != null) {
				throw new IllegalStateException("duplicate command " + name);
			}
		}
	}

}
