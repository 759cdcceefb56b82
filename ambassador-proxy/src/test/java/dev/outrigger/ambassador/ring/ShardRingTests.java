package dev.outrigger.ambassador.ring;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import com.sun.management.ThreadMXBean;
import dev.outrigger.ambassador.Shard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

class ShardRingTests {

	private static final List<Shard> THREE = ShardSpecs.parse("127.0.0.1:6380:1,127.0.0.1:6381:1,127.0.0.1:6382:1");

	private static final HashTag BRACES = HashTag.parse("{}");

	@Test
	void theAnchorsPointsForTheFirstServerAreOnTheRing() {
		ShardRing ring = ShardRing.of(THREE, HashFunction.MD5, Distribution.KETAMA, null);
		long[] points = ring.continuum();
		for (long point : new long[] { 0x2258f12bL, 0x3280ce98L, 0x68464819L, 0xc557252fL }) {
			int at = indexOf(points, point);
			assertThat(at).as("point %x", point).isNotNegative();
			assertThat(ring.continuumOwners().get(at).port()).isEqualTo(6380);
		}
		assertThat(points).isSorted();
	}

	@Test
	void md5PlacementsMatchTheAnchors() {
		ShardRing ring = ShardRing.of(THREE, HashFunction.MD5, Distribution.KETAMA, null);
		assertThat(ports(ring, "foo", "key-2", "key-6", "key-9", "été")).containsExactly(6381, 6382, 6380, 6380, 6382);
	}

	@Test
	void fnv1a64PlacementsMatchTheAnchors() {
		ShardRing ring = ShardRing.of(THREE, HashFunction.FNV1A_64, Distribution.KETAMA, null);
		assertThat(ports(ring, "foo", "bar", "key-10", "été")).containsExactly(6381, 6382, 6380, 6381);
	}

	@Test
	void equalWeightsGet160PointsEach() {
		ShardRing ring = ShardRing.of(THREE, HashFunction.MD5, Distribution.KETAMA, null);
		assertThat(pointCounts(ring)).containsExactlyInAnyOrderEntriesOf(Map.of(6380, 160, 6381, 160, 6382, 160));
	}

	@Test
	void weights123Get80And160And240Points() {
		List<Shard> weighted = ShardSpecs.parse("127.0.0.1:6380:1,127.0.0.1:6381:2,127.0.0.1:6382:3");
		ShardRing ring = ShardRing.of(weighted, HashFunction.MD5, Distribution.KETAMA, null);
		assertThat(pointCounts(ring)).containsExactlyInAnyOrderEntriesOf(Map.of(6380, 80, 6381, 160, 6382, 240));
	}

	@Test
	void pointCountsAreComputedInFloat32AsTwemproxyDoes() {
		// 29/60 · 40 · 3 is 58 exactly, but 57.99999… in float32: twemproxy gives 228
		// points, not 232
		assertThat(ShardRing.ketamaPoints(29, 60, 3)).isEqualTo(228);
		assertThat(ShardRing.ketamaPoints(2, 60, 3)).isEqualTo(16);
		assertThat(ShardRing.ketamaPoints(1, 3, 3)).isEqualTo(160);
		assertThat(ShardRing.ketamaPoints(1, 1001, 2)).isZero();
	}

	@Test
	void theHashTagPicksTheBytesBetweenTheFirstOpenAndTheFirstCloseAfterIt() {
		assertThat(tagged("user:{42}:name")).isEqualTo("42");
		assertThat(tagged("{a}{b}")).isEqualTo("a");
		assertThat(tagged("{{a}}")).isEqualTo("{a");
		assertThat(tagged("}{a}")).isEqualTo("a");
		assertThat(tagged("a{b}c}")).isEqualTo("b");
		assertThat(tagged("{}{a}")).as("an empty tag means the whole key").isEqualTo("{}{a}");
		assertThat(tagged("{}")).isEqualTo("{}");
		assertThat(tagged("{abc")).isEqualTo("{abc");
		assertThat(tagged("abc}")).isEqualTo("abc}");
		assertThat(tagged("")).isEmpty();
		HashTag dollars = HashTag.parse("$$");
		byte[] key = ascii("x$ab$c$");
		long span = dollars.span(key, 0, key.length);
		assertThat(new String(key, (int) (span >>> 32), (int) span, StandardCharsets.US_ASCII)).isEqualTo("ab");
	}

	@ParameterizedTest
	@EnumSource(value = Distribution.class, names = { "KETAMA", "MODULA" })
	void keysWithTheSameTagLandTogether(Distribution distribution) {
		ShardRing tagged = ShardRing.of(THREE, HashFunction.FNV1A_64, distribution, BRACES);
		ShardRing plain = ShardRing.of(THREE, HashFunction.FNV1A_64, distribution, null);
		for (int id = 0; id < 200; id++) {
			Shard expected = plain.locate(ascii(Integer.toString(id)));
			assertThat(tagged.locate(ascii("user:{" + id + "}:name"))).isEqualTo(expected);
			assertThat(tagged.locate(ascii("{" + id + "}"))).isEqualTo(expected);
			assertThat(tagged.locate(ascii("x{" + id + "}y}z"))).isEqualTo(expected);
			assertThat(tagged.locate(ascii("no tag " + id))).isEqualTo(plain.locate(ascii("no tag " + id)));
		}
	}

	@Test
	void theTagAppliesWithinTheGivenSliceOnly() {
		ShardRing tagged = ShardRing.of(THREE, HashFunction.MD5, Distribution.KETAMA, BRACES);
		byte[] buffer = ascii("{x}user:{42}:name{y}");
		assertThat(tagged.locate(buffer, 3, 14)).isEqualTo(tagged.locate(ascii("42")));
	}

	@Test
	void anEmptyKeyHashesToZero() {
		ShardRing ketama = ShardRing.of(THREE, HashFunction.MD5, Distribution.KETAMA, null);
		assertThat(ketama.locate(new byte[0])).isEqualTo(ketama.continuumOwners().get(0));
		ShardRing modula = ShardRing.of(THREE, HashFunction.MD5, Distribution.MODULA, BRACES);
		assertThat(modula.locate(new byte[0])).isEqualTo(modula.twemproxyOrder().get(0));
		assertThat(modula.locate(ascii("abc"), 1, 0)).isEqualTo(modula.twemproxyOrder().get(0));
	}

	@ParameterizedTest
	@EnumSource(Distribution.class)
	void aSingleShardTakesEveryKey(Distribution distribution) {
		Shard only = new Shard("only", "10.0.0.1", 6379, 7);
		ShardRing ring = ShardRing.of(List.of(only), HashFunction.MD5, distribution, BRACES);
		for (String key : List.of("", "a", "{}", "user:{1}:x", "été")) {
			assertThat(ring.locate(key.getBytes(StandardCharsets.UTF_8))).isSameAs(only);
		}
		assertThat(ring.shares()).containsExactly(Map.entry(only, 1.0));
	}

	@Test
	void twemproxyOrdersServersByNameLengthThenBytes() {
		List<Shard> shards = ShardSpecs
			.parse("10.0.0.1:6379:1 zz,10.0.0.2:6379:2 aaa,10.0.0.3:6379:3 m," + "10.0.0.4:6379:1 b,10.0.0.5:6379:1 é");
		ShardRing ring = ShardRing.of(shards, HashFunction.MD5, Distribution.MODULA, null);
		assertThat(ring.twemproxyOrder()).extracting(Shard::name).containsExactly("b", "m", "zz", "é", "aaa");
		assertThat(ring.shards()).isEqualTo(shards);
	}

	@Test
	void modulaGivesEachServerAsManySlotsAsItsWeightInTwemproxysOrder() {
		List<Shard> shards = ShardSpecs.parse("10.0.0.1:6379:1 zz,10.0.0.2:6379:2 aaa,10.0.0.3:6379:3 m");
		ShardRing ring = ShardRing.of(shards, HashFunction.FNV1A_64, Distribution.MODULA, null);
		// order m, zz, aaa: slots 0-2 → m, 3 → zz, 4-5 → aaa
		List<String> slots = List.of("m", "m", "m", "zz", "aaa", "aaa");
		Random random = new Random(6);
		for (int i = 0; i < 2_000; i++) {
			byte[] key = ascii("key-" + random.nextInt());
			long slot = Integer.toUnsignedLong(HashFunction.FNV1A_64.hash(key, 0, key.length)) % 6;
			assertThat(ring.locate(key).name()).isEqualTo(slots.get((int) slot));
		}
	}

	@ParameterizedTest
	@EnumSource(value = Distribution.class, names = { "KETAMA", "MODULA" })
	void theOrderServersAreListedInDoesNotMatter(Distribution distribution) {
		List<Shard> shards = ShardSpecs.parse("10.0.0.1:6379:1,10.0.0.2:6379:2,10.0.0.3:6379:3 c,10.0.0.4:11211:1");
		List<Shard> shuffled = new ArrayList<>(shards);
		Collections.shuffle(shuffled, new Random(4));
		ShardRing ring = ShardRing.of(shards, HashFunction.MURMUR, distribution, null);
		ShardRing other = ShardRing.of(shuffled, HashFunction.MURMUR, distribution, null);
		for (int i = 0; i < 2_000; i++) {
			byte[] key = ascii("key-" + i);
			assertThat(other.locate(key)).isEqualTo(ring.locate(key));
		}
	}

	@Test
	void ofEqualPointsTheServerFirstInTwemproxysOrderWins() {
		// "z31295" and "shard-a" share the point 0x3fc5cc3e; the shorter name comes first
		List<Shard> shards = ShardSpecs.parse("10.0.0.1:6379:1 shard-a,10.0.0.2:6379:1 z31295,10.0.0.3:6379:1 shard-c");
		ShardRing ring = ShardRing.of(shards, HashFunction.FNV1A_64, Distribution.KETAMA, null);
		long[] points = ring.continuum();
		int at = indexOf(points, 0x3fc5cc3eL);
		assertThat(points[at + 1]).isEqualTo(0x3fc5cc3eL);
		assertThat(ring.continuumOwners().subList(at, at + 2)).extracting(Shard::name)
			.containsExactly("z31295", "shard-a");
		int found = 0;
		for (int n = 0; found < 5; n++) {
			byte[] key = ascii("tie-" + n);
			long hash = Integer.toUnsignedLong(HashFunction.FNV1A_64.hash(key, 0, key.length));
			if (hash > points[at - 1] && hash <= points[at]) {
				assertThat(ring.locate(key).name()).isEqualTo("z31295");
				found++;
			}
		}
	}

	@Test
	void randomIgnoresTheKeyAndTheWeights() {
		List<Shard> shards = ShardSpecs.parse("10.0.0.1:6379:1,10.0.0.2:6379:10,10.0.0.3:6379:100");
		ShardRing ring = ShardRing.of(shards, HashFunction.MD5, Distribution.RANDOM, null);
		Map<Shard, Integer> picks = new HashMap<>();
		byte[] key = ascii("always the same key");
		for (int i = 0; i < 3_000; i++) {
			picks.merge(ring.locate(key), 1, Integer::sum);
		}
		assertThat(picks).containsOnlyKeys(shards);
		assertThat(picks.values()).allSatisfy((count) -> assertThat(count).isBetween(800, 1_200));
		assertThat(ring.shares().values()).allSatisfy((share) -> assertThat(share).isCloseTo(1.0 / 3, within(1e-9)));
	}

	@ParameterizedTest
	@EnumSource(value = Distribution.class, names = { "KETAMA", "MODULA" })
	void withoutRebuildsOverTheRemainingShards(Distribution distribution) {
		List<Shard> shards = ShardSpecs.parse("10.0.0.1:6379:1,10.0.0.2:6379:2,10.0.0.3:6379:3");
		ShardRing ring = ShardRing.of(shards, HashFunction.FNV1A_64, distribution, BRACES);
		ShardRing ejected = ring.without(Set.of(shards.get(1)));
		ShardRing rebuilt = ShardRing.of(List.of(shards.get(0), shards.get(2)), HashFunction.FNV1A_64, distribution,
				BRACES);
		assertThat(ejected.shards()).containsExactly(shards.get(0), shards.get(2));
		assertThat(ejected.hash()).isEqualTo(HashFunction.FNV1A_64);
		assertThat(ejected.distribution()).isEqualTo(distribution);
		assertThat(ejected.tag()).isEqualTo(BRACES);
		for (int i = 0; i < 2_000; i++) {
			byte[] key = ascii("key-" + i);
			assertThat(ejected.locate(key)).isEqualTo(rebuilt.locate(key)).isNotEqualTo(shards.get(1));
		}
		assertThat(ring.without(List.of())).isSameAs(ring);
		assertThat(ring.without(List.of(new Shard("elsewhere", "10.9.9.9", 1, 1)))).isSameAs(ring);
	}

	@Test
	void withEqualWeightsEjectionMovesOnlyTheEjectedShardsKeys() {
		ShardRing ring = ShardRing.of(THREE, HashFunction.MD5, Distribution.KETAMA, null);
		ShardRing ejected = ring.without(List.of(THREE.get(0)));
		for (int i = 0; i < 2_000; i++) {
			byte[] key = ascii("key-" + i);
			Shard before = ring.locate(key);
			if (!before.equals(THREE.get(0))) {
				assertThat(ejected.locate(key)).isEqualTo(before);
			}
		}
	}

	@Test
	void ejectingEveryShardIsRefused() {
		ShardRing ring = ShardRing.of(THREE, HashFunction.MD5, Distribution.KETAMA, null);
		assertThatIllegalArgumentException().isThrownBy(() -> ring.without(THREE)).withMessageContaining("no shard");
	}

	@Test
	void ketamaSharesAreEachShardsArcsOfTheRing() {
		List<Shard> weighted = ShardSpecs.parse("127.0.0.1:6380:1,127.0.0.1:6381:2,127.0.0.1:6382:3");
		ShardRing ring = ShardRing.of(weighted, HashFunction.MD5, Distribution.KETAMA, null);
		Map<Shard, Double> shares = ring.shares();
		assertThat(shares.keySet()).containsExactlyElementsOf(weighted);
		assertThat(shares.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-12));
		Map<Shard, Integer> counts = new HashMap<>();
		Random random = new Random(3);
		int samples = 200_000;
		byte[] key = new byte[16];
		for (int i = 0; i < samples; i++) {
			random.nextBytes(key);
			counts.merge(ring.locate(key), 1, Integer::sum);
		}
		for (Shard shard : weighted) {
			assertThat((double) counts.get(shard) / samples).isCloseTo(shares.get(shard), within(0.01));
		}
	}

	@Test
	void modulaSharesFollowTheWeights() {
		List<Shard> weighted = ShardSpecs.parse("127.0.0.1:6380:1,127.0.0.1:6381:2,127.0.0.1:6382:3");
		ShardRing ring = ShardRing.of(weighted, HashFunction.MD5, Distribution.MODULA, null);
		assertThat(ring.shares().values()).satisfiesExactly(
				(share) -> assertThat(share).isCloseTo(1.0 / 6, within(1e-8)),
				(share) -> assertThat(share).isCloseTo(2.0 / 6, within(1e-8)),
				(share) -> assertThat(share).isCloseTo(3.0 / 6, within(1e-8)));
		assertThat(ring.shares().values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(1.0);
	}

	@ParameterizedTest
	@EnumSource(HashFunction.class)
	void locatingAllocatesNothing(HashFunction hash) {
		ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
		List<Shard> weighted = ShardSpecs.parse("10.0.0.1:6379:1,10.0.0.2:6379:2,10.0.0.3:6379:3");
		ShardRing[] rings = { ShardRing.of(weighted, hash, Distribution.KETAMA, BRACES),
				ShardRing.of(weighted, hash, Distribution.MODULA, BRACES),
				ShardRing.of(weighted, hash, Distribution.RANDOM, null) };
		byte[][] keys = { ascii("user:{42}:name"), ascii("plain-key"), "été".getBytes(StandardCharsets.UTF_8),
				new byte[0], ascii("a longer key, to hash more than one block of every algorithm") };
		long sink = locateMany(rings, keys, 20_000); // warm up, and create this thread's
														// MD5 engine
		long before = threads.getCurrentThreadAllocatedBytes();
		sink += locateMany(rings, keys, 100_000);
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		assertThat(sink).isNotZero();
		assertThat(allocated).as("bytes allocated by 1.5 million lookups").isLessThan(4_096);
	}

	@Test
	void ringsAreSafeToShareBetweenThreads() throws Exception {
		ShardRing ring = ShardRing.of(THREE, HashFunction.MD5, Distribution.KETAMA, BRACES);
		List<byte[]> keys = new ArrayList<>();
		for (int i = 0; i < 5_000; i++) {
			keys.add(ascii("user:{" + (i % 700) + "}:" + i));
		}
		List<Shard> expected = keys.stream().map(ring::locate).toList();
		Callable<List<Shard>> task = () -> keys.stream().map(ring::locate).toList();
		try (ExecutorService executor = Executors.newFixedThreadPool(8)) {
			List<Future<List<Shard>>> results = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				results.add(executor.submit(task));
			}
			for (Future<List<Shard>> result : results) {
				assertThat(result.get()).isEqualTo(expected);
			}
		}
	}

	@Test
	void ofRejectsRingsTwemproxyWouldNotBuild() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ShardRing.of(List.of(), HashFunction.MD5, Distribution.KETAMA, null))
			.withMessageContaining("at least one shard");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ShardRing.of(List.of(new Shard("a", "h1", 1, 1), new Shard("a", "h2", 1, 1)),
					HashFunction.MD5, Distribution.KETAMA, null))
			.withMessageContaining("'a'");
		assertThatIllegalArgumentException().isThrownBy(
				() -> ShardRing.of(List.of(new Shard("a", "h1", 1, 0)), HashFunction.MD5, Distribution.KETAMA, null))
			.withMessageContaining("weight 0");
		assertThatIllegalArgumentException().isThrownBy(
				() -> ShardRing.of(
						List.of(new Shard("a", "h1", 1, Integer.MAX_VALUE), new Shard("b", "h2", 1, Integer.MAX_VALUE),
								new Shard("c", "h3", 1, Integer.MAX_VALUE)),
						HashFunction.MD5, Distribution.MODULA, null))
			.withMessageContaining("2^32");
	}

	@Test
	void ketamaRefusesNamesTwemproxyWouldCut() {
		String longName = "x".repeat(83);
		List<Shard> shards = List.of(new Shard(longName, "h1", 1, 1), new Shard("b", "h2", 1, 1));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ShardRing.of(shards, HashFunction.MD5, Distribution.KETAMA, null))
			.withMessageContaining("KETAMA_MAX_HOSTLEN");
		assertThat(ShardRing.of(shards, HashFunction.MD5, Distribution.MODULA, null).shards()).hasSize(2);
		String fits = "x".repeat(82); // "xxx…-39" is 85 bytes
		assertThat(ShardRing
			.of(List.of(new Shard(fits, "h1", 1, 1), new Shard("b", "h2", 1, 1)), HashFunction.MD5, Distribution.KETAMA,
					null)
			.continuum()).hasSize(320);
	}

	@Test
	void locateChecksTheSlice() {
		ShardRing ring = ShardRing.of(THREE, HashFunction.MD5, Distribution.KETAMA, null);
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> ring.locate(new byte[4], 2, 3));
	}

	@Test
	void distributionParseTakesTwemproxysNames() {
		assertThat(Distribution.parse("ketama")).isEqualTo(Distribution.KETAMA);
		assertThat(Distribution.parse(" Modula")).isEqualTo(Distribution.MODULA);
		assertThat(Distribution.parse("random")).isEqualTo(Distribution.RANDOM);
		assertThatIllegalArgumentException().isThrownBy(() -> Distribution.parse("maglev"))
			.withMessageContaining("'maglev'")
			.withMessageContaining("ketama, modula, random");
	}

	@Test
	void hashTagParseWantsTwoAsciiCharacters() {
		assertThat(HashTag.parse("{}")).isEqualTo(new HashTag((byte) '{', (byte) '}'));
		assertThat(HashTag.parse("$$")).isEqualTo(new HashTag((byte) '$', (byte) '$'));
		for (String bad : List.of("", "{", "{}}", "«»")) {
			assertThatIllegalArgumentException().isThrownBy(() -> HashTag.parse(bad))
				.withMessageContaining("'" + bad + "'");
		}
	}

	private static long locateMany(ShardRing[] rings, byte[][] keys, int rounds) {
		long sink = 0;
		for (int i = 0; i < rounds; i++) {
			for (int r = 0; r < rings.length; r++) { // no iterator: the loop itself must
														// not allocate
				byte[] key = keys[i % keys.length];
				sink += rings[r].locate(key, 0, key.length).port();
			}
		}
		return sink;
	}

	private static String tagged(String key) {
		byte[] bytes = ascii(key);
		long span = BRACES.span(bytes, 0, bytes.length);
		return new String(bytes, (int) (span >>> 32), (int) span, StandardCharsets.US_ASCII);
	}

	private static List<Integer> ports(ShardRing ring, String... keys) {
		List<Integer> ports = new ArrayList<>();
		for (String key : keys) {
			ports.add(ring.locate(key.getBytes(StandardCharsets.UTF_8)).port());
		}
		return ports;
	}

	private static Map<Integer, Integer> pointCounts(ShardRing ring) {
		return ring.continuumOwners()
			.stream()
			.collect(Collectors.groupingBy(Shard::port, Collectors.summingInt((shard) -> 1)));
	}

	private static int indexOf(long[] sorted, long value) {
		for (int i = 0; i < sorted.length; i++) {
			if (sorted[i] == value) {
				return i;
			}
		}
		return -1;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
