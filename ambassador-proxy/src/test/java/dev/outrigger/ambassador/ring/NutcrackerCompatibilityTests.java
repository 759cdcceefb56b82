package dev.outrigger.ambassador.ring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import dev.outrigger.ambassador.Shard;
import dev.outrigger.ambassador.testing.RespClient;
import dev.outrigger.testsupport.process.NutcrackerServer;
import dev.outrigger.testsupport.process.RedisServer;
import dev.outrigger.testsupport.process.ServerProcess;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential test: the same keys are written through a real twemproxy
 * ({@code nutcracker} 0.5.0, Debian's package) in front of three real Redis servers, each
 * server is asked which keys it holds, and {@link ShardRing#locate} must name the same
 * server for every key; then again after twemproxy has ejected a dead server, against
 * {@link ShardRing#without}.
 * <p>
 * Needs {@code nutcracker} and {@code redis-server} ({@code apt-get install -y nutcracker
 * redis-server}).
 */
@Timeout(120)
class NutcrackerCompatibilityTests {

	private static final Random RANDOM = new Random(20260501);

	private static final List<byte[]> KEYS = keys();

	private static final List<RedisServer> redis = new ArrayList<>();

	private @Nullable NutcrackerServer nutcracker;

	private @Nullable RedisServer doomedRedis;

	@BeforeAll
	static void startThreeRedisServers() {
		ServerProcess.executable("nutcracker", "nutcracker");
		for (int i = 0; i < 3; i++) {
			redis.add(RedisServer.start());
		}
	}

	@AfterAll
	static void stopTheRedisServers() {
		try {
			redis.forEach(RedisServer::close);
		}
		finally {
			redis.clear();
		}
	}

	@AfterEach
	void stopNutcrackerAndTheDoomedRedis() {
		try {
			if (this.nutcracker != null) {
				this.nutcracker.close();
				this.nutcracker = null;
			}
		}
		finally {
			if (this.doomedRedis != null) {
				this.doomedRedis.close();
				this.doomedRedis = null;
			}
		}
	}

	static Stream<Scenario> scenarios() {
		String equal = "127.0.0.1:%1$d:1,127.0.0.1:%2$d:1,127.0.0.1:%3$d:1";
		Stream<Scenario> main = Stream.of(
				new Scenario("fnv1a_64 + ketama, twemproxy's defaults", null, null, null, equal),
				new Scenario("md5 + ketama", "md5", "ketama", null, equal),
				new Scenario("murmur + ketama", "murmur", "ketama", null, equal),
				new Scenario("crc32a + ketama", "crc32a", "ketama", null, equal),
				new Scenario("fnv1a_64 + modula", "fnv1a_64", "modula", null, equal),
				new Scenario("fnv1a_64 + modula, named and weighted out of twemproxy's name order", "fnv1a_64",
						"modula", null, "127.0.0.1:%1$d:1 zz,127.0.0.1:%2$d:2 aaa,127.0.0.1:%3$d:3 m"),
				new Scenario("weights 1/2/3 + ketama", null, null, null,
						"127.0.0.1:%1$d:1,127.0.0.1:%2$d:2,127.0.0.1:%3$d:3"),
				new Scenario("weights 2/29/29 + ketama (float32 gives 228 points, not 232)", null, null, null,
						"127.0.0.1:%1$d:2,127.0.0.1:%2$d:29,127.0.0.1:%3$d:29"),
				new Scenario("named servers + ketama", "md5", "ketama", null,
						"127.0.0.1:%1$d:1 redis-a,127.0.0.1:%2$d:1 redis-b,127.0.0.1:%3$d:1 redis-c"),
				new Scenario("hash_tag {} + ketama", null, null, "{}", equal),
				new Scenario("hash_tag {} + modula + weights", "murmur", "modula", "{}",
						"127.0.0.1:%1$d:3,127.0.0.1:%2$d:1,127.0.0.1:%3$d:2"),
				new Scenario("hash_tag $$ + ketama", "crc32a", "ketama", "$$", equal),
				// "z31295" shares a point (0x3fc5cc3e) with "shard-a"; twemproxy sorts by
				// name length first
				new Scenario("equal ring points + ketama: the shorter name wins", null, null, null,
						"127.0.0.1:%1$d:1 shard-a,127.0.0.1:%2$d:1 z31295,127.0.0.1:%3$d:1 shard-c"));
		Stream<Scenario> otherHashes = Stream
			.of("crc16", "crc32", "fnv1_64", "fnv1_32", "fnv1a_32", "hsieh", "jenkins", "one_at_a_time")
			.map((hash) -> new Scenario(hash + " + ketama", hash, "ketama", null, equal));
		return Stream.concat(main, otherHashes);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("scenarios")
	void nutcrackerAndTheRingPutEveryKeyOnTheSameServer(Scenario scenario) throws Exception {
		String servers = String.format(scenario.servers(), redis.get(0).port(), redis.get(1).port(),
				redis.get(2).port());
		ShardRing ring = ShardRing.of(ShardSpecs.parse(servers),
				(scenario.hash() != null) ? HashFunction.parse(scenario.hash()) : HashFunction.FNV1A_64,
				(scenario.distribution() != null) ? Distribution.parse(scenario.distribution()) : Distribution.KETAMA,
				(scenario.hashTag() != null) ? HashTag.parse(scenario.hashTag()) : null);
		List<byte[]> keys = new ArrayList<>(KEYS);
		keys.addAll(keysOnEqualPoints(ring));
		flushAll();
		this.nutcracker = startNutcracker(scenario, servers, false);
		assertSamePlacements(this.nutcracker, ring, keys);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("ejections")
	void afterAutoEjectionNutcrackerAgreesWithTheRingWithoutTheEjectedShard(Scenario scenario) throws Exception {
		this.doomedRedis = RedisServer.start();
		String servers = String.format(scenario.servers(), redis.get(0).port(), redis.get(1).port(),
				redis.get(2).port(), this.doomedRedis.port());
		ShardRing ring = ShardRing.of(ShardSpecs.parse(servers), HashFunction.parse(scenario.hash()),
				Distribution.parse(scenario.distribution()), null);
		Shard doomed = ring.shards().get(3);
		this.nutcracker = startNutcracker(scenario, servers, true);
		this.doomedRedis.close();
		// the first request for the dead server fails and ejects it
		// (server_failure_limit: 1)
		try (RespClient client = new RespClient(this.nutcracker.port())) {
			List<Object> replies = new ArrayList<>();
			for (int n = 0; replies.size() < 3; n++) {
				byte[] key = ("probe-" + n).getBytes(StandardCharsets.US_ASCII);
				if (ring.locate(key).equals(doomed)) {
					replies.add(client.call("SET", key, "v"));
				}
			}
			assertThat(replies.get(0)).isInstanceOf(RespClient.Error.class);
			assertThat(replies.subList(1, 3)).as("replies once the dead server is ejected").allMatch("OK"::equals);
		}
		flushAll();
		assertSamePlacements(this.nutcracker, ring.without(List.of(doomed)), KEYS);
	}

	static Stream<Scenario> ejections() {
		String servers = "127.0.0.1:%1$d:1,127.0.0.1:%2$d:2,127.0.0.1:%3$d:3,127.0.0.1:%4$d:2";
		return Stream.of(new Scenario("ketama, weights 1/2/3/2, the last ejected", "fnv1a_64", "ketama", null, servers),
				new Scenario("modula, weights 1/2/3/2, the last ejected", "md5", "modula", null, servers));
	}

	private static void flushAll() throws IOException {
		for (RedisServer server : redis) {
			try (RespClient client = new RespClient(server.port())) {
				assertThat(client.call("FLUSHALL")).isEqualTo("OK");
			}
		}
	}

	/**
	 * Writes the keys through nutcracker, asks each Redis which it holds, and compares
	 * with the ring.
	 */
	private static void assertSamePlacements(NutcrackerServer nutcracker, ShardRing ring, List<byte[]> keys)
			throws IOException {
		try (RespClient client = new RespClient(nutcracker.port())) {
			List<Object> replies = client
				.pipeline(keys.stream().map((key) -> RespClient.command("SET", key, "v")).toList());
			assertThat(replies).as("replies to SET through nutcracker").allMatch("OK"::equals);
		}
		Map<Integer, List<Object>> exists = new LinkedHashMap<>();
		for (RedisServer server : redis) {
			try (RespClient client = new RespClient(server.port())) {
				exists.put(server.port(),
						client.pipeline(keys.stream().map((key) -> RespClient.command("EXISTS", key)).toList()));
			}
		}
		List<String> disagreements = new ArrayList<>();
		for (int i = 0; i < keys.size(); i++) {
			int index = i;
			List<Integer> holders = exists.entrySet()
				.stream()
				.filter((entry) -> Long.valueOf(1).equals(entry.getValue().get(index)))
				.map(Map.Entry::getKey)
				.toList();
			Shard located = ring.locate(keys.get(i));
			if (holders.size() != 1 || holders.get(0) != located.port()) {
				disagreements.add(
						HexFormat.of().formatHex(keys.get(i)) + ": nutcracker " + holders + ", ring " + located.name());
			}
		}
		assertThat(disagreements).as("keys placed differently (hex key: servers holding it, ring's choice)").isEmpty();
	}

	/**
	 * A nutcracker for the scenario; with {@code autoEject}, one failure ejects a server
	 * for ten minutes.
	 */
	private static NutcrackerServer startNutcracker(Scenario scenario, String servers, boolean autoEject) {
		Map<String, String> pool = new LinkedHashMap<>();
		if (autoEject) {
			pool.put("auto_eject_hosts", "true");
			pool.put("server_failure_limit", "1");
			pool.put("server_retry_timeout", "600000");
		}
		if (scenario.hash() != null) {
			pool.put("hash", scenario.hash());
		}
		if (scenario.distribution() != null) {
			pool.put("distribution", scenario.distribution());
		}
		if (scenario.hashTag() != null) {
			pool.put("hash_tag", "\"" + scenario.hashTag() + "\"");
		}
		return NutcrackerServer.start(List.of(servers.split(",")), pool);
	}

	/**
	 * For a ring where two servers share a point, keys that hash just below that point,
	 * so that they land on it and the tie decides their server; none otherwise.
	 */
	private static List<byte[]> keysOnEqualPoints(ShardRing ring) {
		long[] points = ring.continuum();
		List<Shard> owners = ring.continuumOwners();
		List<byte[]> keys = new ArrayList<>();
		for (int i = 1; i + 1 < points.length; i++) {
			if (points[i] == points[i + 1] && !owners.get(i).equals(owners.get(i + 1))) {
				long after = points[i - 1];
				long upTo = points[i];
				Shard first = owners.get(i);
				List<byte[]> onThisPoint = new ArrayList<>();
				for (int n = 0; n < 2_000_000 && onThisPoint.size() < 25; n++) {
					byte[] key = ("tie-" + n).getBytes(StandardCharsets.US_ASCII);
					long hash = Integer.toUnsignedLong(ring.hash().hash(key, 0, key.length));
					if (hash > after && hash <= upTo) {
						onThisPoint.add(key);
					}
				}
				assertThat(onThisPoint).as("keys hashing onto the shared point %x", upTo).hasSize(25);
				assertThat(onThisPoint).allMatch((key) -> ring.locate(key).equals(first));
				keys.addAll(onThisPoint);
			}
		}
		return keys;
	}

	/**
	 * More than a thousand distinct keys: ASCII, UTF-8 beyond ASCII (bytes ≥ 0x80 are
	 * where signed chars bite), arbitrary bytes including CR, LF and NUL, long keys, the
	 * empty key, and keys with whole, empty, unclosed and repeated {@code {tags}} and
	 * {@code $tags$}.
	 */
	private static List<byte[]> keys() {
		Map<String, byte[]> keys = new LinkedHashMap<>();
		add(keys, new byte[0]);
		String[] words = { "é", "ü", "ß", "日本", "語", "Ω", "😀", "ñ", "€", "ы" };
		String[] tags = { "{}", "{}x", "x{}", "{}{a}", "{a", "a}", "}{a}", "{{a}}", "{a}{b}", "a{b}c{d}", "{", "}",
				"{{}}", "$$", "$a$", "a$b$c", "$$x$", "{$x$}", "${x}$" };
		for (String tag : tags) {
			add(keys, tag.getBytes(StandardCharsets.UTF_8));
		}
		for (int i = 0; keys.size() < 1_300; i++) {
			String key = switch (i % 6) {
				case 0 -> "key-" + i;
				case 1 -> randomAscii(1 + RANDOM.nextInt(40));
				case 2 -> randomAscii(RANDOM.nextInt(6)) + words[RANDOM.nextInt(words.length)]
						+ randomAscii(RANDOM.nextInt(6)) + words[RANDOM.nextInt(words.length)];
				case 3 -> "user:{" + RANDOM.nextInt(50) + "}:" + randomAscii(1 + RANDOM.nextInt(8));
				case 4 -> "order:$" + RANDOM.nextInt(50) + "$:" + randomAscii(1 + RANDOM.nextInt(8));
				default -> null;
			};
			if (key != null) {
				add(keys, key.getBytes(StandardCharsets.UTF_8));
			}
			else {
				byte[] bytes = new byte[1 + RANDOM.nextInt((i % 60 == 5) ? 400 : 48)];
				RANDOM.nextBytes(bytes);
				add(keys, bytes);
			}
		}
		return List.copyOf(keys.values());
	}

	private static void add(Map<String, byte[]> keys, byte[] key) {
		keys.putIfAbsent(new String(key, StandardCharsets.ISO_8859_1), key);
	}

	private static String randomAscii(int length) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			text.append((char) (' ' + 1 + RANDOM.nextInt(94)));
		}
		return text.toString();
	}

	/**
	 * One twemproxy pool to compare against.
	 *
	 * @param description what it covers
	 * @param hash {@code hash:}, or {@code null} for twemproxy's default
	 * @param distribution {@code distribution:}, or {@code null} for the default
	 * @param hashTag {@code hash_tag:}, or {@code null} for none
	 * @param servers the {@code servers:} entries, comma separated,
	 * {@code %1$d}..{@code %3$d} for the ports
	 */
	record Scenario(String description, @Nullable String hash, @Nullable String distribution, @Nullable String hashTag,
			String servers) {

		@Override
		public String toString() {
			return this.description;
		}

	}

}
