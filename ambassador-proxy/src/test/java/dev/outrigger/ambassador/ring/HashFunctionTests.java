package dev.outrigger.ambassador.ring;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Each hash against published reference values where the algorithm has them, and against
 * what Debian's nutcracker 0.5.0 does where twemproxy departs from them (signed chars,
 * seeds, the 15-bit crc32, the unmasked crc16); {@link NutcrackerCompatibilityTests}
 * checks all of them against the real thing.
 */
class HashFunctionTests {

	private static final byte[] CHECK = ascii("123456789");

	private static final byte[] ETE = "été".getBytes(StandardCharsets.UTF_8);

	@Test
	void md5IsTheFirstDigestWordLittleEndian() {
		// RFC 1321: md5("") = d41d8cd9…, md5("123456789") = 25f9e794…; the anchor:
		// md5("foo") → 0xdb18bdac
		assertThat(hash(HashFunction.MD5, new byte[0])).isEqualTo(0xd98c1dd4);
		assertThat(hash(HashFunction.MD5, CHECK)).isEqualTo(0x94e7f925);
		assertThat(hash(HashFunction.MD5, ascii("foo"))).isEqualTo(0xdb18bdac);
	}

	@Test
	void ketamaPointsAreTheFourDigestWords() {
		byte[] pointKey = ascii("127.0.0.1:6380-0");
		assertThat(new int[] { HashFunction.Md5.digestWord(pointKey, 0, pointKey.length, 0),
				HashFunction.Md5.digestWord(pointKey, 0, pointKey.length, 1),
				HashFunction.Md5.digestWord(pointKey, 0, pointKey.length, 2),
				HashFunction.Md5.digestWord(pointKey, 0, pointKey.length, 3) })
			.containsExactly(0x2258f12b, 0x3280ce98, 0x68464819, 0xc557252f);
	}

	@Test
	void crc32aIsTheStandardCrc32() {
		assertThat(hash(HashFunction.CRC32A, CHECK)).isEqualTo(0xcbf43926); // the CRC-32
																			// check value
		Random random = new Random(32);
		for (int i = 0; i < 200; i++) {
			byte[] bytes = new byte[random.nextInt(100)];
			random.nextBytes(bytes);
			CRC32 reference = new CRC32();
			reference.update(bytes);
			assertThat(Integer.toUnsignedLong(hash(HashFunction.CRC32A, bytes))).isEqualTo(reference.getValue());
		}
	}

	@Test
	void crc32IsLibmemcachedsFifteenBits() {
		assertThat(hash(HashFunction.CRC32, CHECK)).isEqualTo((0xcbf43926 >>> 16) & 0x7fff).isEqualTo(0x4bf4);
		Random random = new Random(15);
		for (int i = 0; i < 200; i++) {
			byte[] bytes = new byte[1 + random.nextInt(100)];
			random.nextBytes(bytes);
			assertThat(hash(HashFunction.CRC32, bytes)).isBetween(0, 0x7fff)
				.isEqualTo((hash(HashFunction.CRC32A, bytes) >>> 16) & 0x7fff);
		}
	}

	@Test
	void crc16IsXmodemInAnUnmaskedRegister() {
		int crc = hash(HashFunction.CRC16, CHECK);
		assertThat(crc & 0xffff).isEqualTo(0x31c3); // the CRC-16/XMODEM check value
		assertThat(crc).isEqualTo(0x869031c3); // twemproxy 0.5.0 never cuts the register
												// back to 16 bits
		assertThat(hash(HashFunction.CRC16, ascii("foo"))).isEqualTo(0x0c3caf96);
	}

	@Test
	void fnvMatchesTheReferenceVectors() {
		// Landon Curt Noll's FNV test vectors; the 64-bit ones are twemproxy's low 32
		// bits
		assertThat(hashes(HashFunction.FNV1_32, "", "a", "foobar")).containsExactly(0x811c9dc5, 0x050c5d7e, 0x31f0b262);
		assertThat(hashes(HashFunction.FNV1A_32, "", "a", "foobar")).containsExactly(0x811c9dc5, 0xe40c292c,
				0xbf9cf968);
		assertThat(hashes(HashFunction.FNV1_64, "", "a", "foobar")).containsExactly(0x84222325, 0x8601b7be, 0xa4dda9c2);
		assertThat(hashes(HashFunction.FNV1A_64, "", "a", "foobar")).containsExactly(0x84222325, 0x8601ec8c,
				0xf73967e8);
	}

	@Test
	void fnvSignExtendsBytesAboveAsciiLikeTwemproxyOnX8664() {
		// VERIFIED against nutcracker 0.5.0 (anchors): the textbook FNV-1a would give
		// 0x88b51857
		assertThat(hash(HashFunction.FNV1A_64, ETE)).isEqualTo(0xea769c57);
		assertThat(hash(HashFunction.FNV1_64, ETE)).isEqualTo(0xee202e17);
		assertThat(hash(HashFunction.FNV1_32, ETE)).isEqualTo(0xbebb7c97);
		assertThat(hash(HashFunction.FNV1A_32, ETE)).isEqualTo(0x0beea017);
	}

	@Test
	void oneAtATimeMatchesTheReferenceAndSignExtends() {
		assertThat(hash(HashFunction.ONE_AT_A_TIME, ascii("a"))).isEqualTo(0xca2e9442);
		assertThat(hash(HashFunction.ONE_AT_A_TIME, ascii("The quick brown fox jumps over the lazy dog")))
			.isEqualTo(0x519e91f5);
		assertThat(hash(HashFunction.ONE_AT_A_TIME, ETE)).isEqualTo(0x7fcb4b35); // unsigned
																					// bytes:
																					// 0x46fdbf25
	}

	@Test
	void jenkinsIsLookup3HashlittleWithInitialValue13() {
		// lookup3.c's driver5() and SMHasher's verification value for lookup3
		byte[] fourScore = ascii("Four score and seven years ago");
		assertThat(HashFunction.lookup3(new byte[0], 0, 0, 0)).isEqualTo(0xdeadbeef);
		assertThat(HashFunction.lookup3(new byte[0], 0, 0, 0xdeadbeef)).isEqualTo(0xbd5b7dde);
		assertThat(HashFunction.lookup3(fourScore, 0, fourScore.length, 0)).isEqualTo(0x17770551);
		assertThat(HashFunction.lookup3(fourScore, 0, fourScore.length, 1)).isEqualTo(0xcd628161);
		assertThat(smhasherVerification(HashFunction::lookup3)).isEqualTo(0x3d83917a);
		assertThat(hash(HashFunction.JENKINS, fourScore)).isEqualTo(HashFunction.lookup3(fourScore, 0, 30, 13));
		assertThat(hash(HashFunction.JENKINS, CHECK)).isEqualTo(0x19777af6);
	}

	@Test
	void murmurIsMurmurHash2SeededWithTheLength() {
		assertThat(smhasherVerification(HashFunction::murmur2)).isEqualTo(0x27864c1e); // SMHasher's
																						// "Murmur2"
		for (String key : new String[] { "", "a", "ab", "abc", "abcd", "abcde", "123456789" }) {
			byte[] bytes = ascii(key);
			assertThat(hash(HashFunction.MURMUR, bytes))
				.isEqualTo(HashFunction.murmur2(bytes, 0, bytes.length, 0xdeadbeef * bytes.length));
		}
		assertThat(hash(HashFunction.MURMUR, CHECK)).isEqualTo(0xb7760690);
		assertThat(hash(HashFunction.MURMUR, ETE)).isEqualTo(0xda710acb);
	}

	@Test
	void hsiehStartsFromZeroAndSignExtendsTheThirdTailByte() {
		// libmemcached's SuperFastHash (twemproxy's): no published vectors, so the values
		// nutcracker agrees with
		assertThat(hash(HashFunction.HSIEH, new byte[0])).isZero();
		assertThat(hash(HashFunction.HSIEH, CHECK)).isEqualTo(0xe4fc1670);
		assertThat(hash(HashFunction.HSIEH, ascii("foo"))).isEqualTo(0x76d4d427);
		assertThat(hash(HashFunction.HSIEH, new byte[] { 'a', 'b', 'c' })).isEqualTo(0xe5186b3a);
		assertThat(hash(HashFunction.HSIEH, new byte[] { 'a', 'b', (byte) 0xe9 })).isEqualTo(0x125794e5);
	}

	@ParameterizedTest
	@EnumSource(HashFunction.class)
	void onlyTheGivenSliceIsHashed(HashFunction function) {
		Random random = new Random(function.ordinal());
		for (int i = 0; i < 100; i++) {
			byte[] key = new byte[random.nextInt(40)];
			random.nextBytes(key);
			byte[] padded = new byte[key.length + 7];
			random.nextBytes(padded);
			System.arraycopy(key, 0, padded, 3, key.length);
			assertThat(function.hash(padded, 3, key.length)).isEqualTo(hash(function, key));
		}
	}

	@Test
	void parseTakesTwemproxysNames() {
		assertThat(Arrays.stream(HashFunction.values()).map(HashFunction::twemproxyName)).containsExactly("md5",
				"crc16", "crc32", "crc32a", "fnv1_64", "fnv1a_64", "fnv1_32", "fnv1a_32", "hsieh", "murmur", "jenkins",
				"one_at_a_time");
		for (HashFunction function : HashFunction.values()) {
			assertThat(HashFunction.parse(function.twemproxyName())).isSameAs(function);
		}
		assertThat(HashFunction.parse(" FNV1A_64 ")).isSameAs(HashFunction.FNV1A_64);
	}

	@Test
	void parseListsTheNamesWhenItDoesNotKnowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> HashFunction.parse("sha1"))
			.withMessageContaining("'sha1'")
			.withMessageContaining("md5, crc16, crc32, crc32a, fnv1_64, fnv1a_64, fnv1_32, fnv1a_32, hsieh, murmur, "
					+ "jenkins, one_at_a_time");
	}

	private static int hash(HashFunction function, byte[] key) {
		return function.hash(key, 0, key.length);
	}

	private static int[] hashes(HashFunction function, String... keys) {
		return Arrays.stream(keys).mapToInt((key) -> hash(function, ascii(key))).toArray();
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * SMHasher's {@code VerificationTest}: hash keys {0}, {0,1}, … {0..254} with seeds
	 * 256 − length, then hash the 256 little-endian results with seed 0.
	 */
	private static int smhasherVerification(SeededHash hash) {
		byte[] key = new byte[256];
		byte[] results = new byte[256 * 4];
		for (int i = 0; i < 256; i++) {
			key[i] = (byte) i;
			int h = hash.hash(key, 0, i, 256 - i);
			results[i * 4] = (byte) h;
			results[i * 4 + 1] = (byte) (h >>> 8);
			results[i * 4 + 2] = (byte) (h >>> 16);
			results[i * 4 + 3] = (byte) (h >>> 24);
		}
		return hash.hash(results, 0, results.length, 0);
	}

	@FunctionalInterface
	private interface SeededHash {

		int hash(byte[] key, int offset, int length, int seed);

	}

}
