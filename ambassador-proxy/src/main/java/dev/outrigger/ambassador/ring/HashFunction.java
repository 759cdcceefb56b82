package dev.outrigger.ambassador.ring;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The key hashes of twemproxy 0.5.0 ({@code hash:} in its configuration), bit for bit as
 * its {@code src/hashkit} computes them on x86-64.
 * <p>
 * Each returns twemproxy's {@code uint32_t} result as an {@code int} (use
 * {@link Integer#toUnsignedLong(int)} to print it). Where twemproxy reads the key through
 * a signed {@code char} (the FNV family, one_at_a_time, and the third byte of a hsieh
 * tail), bytes of 0x80 and above are sign-extended exactly as gcc does on x86-64, so
 * {@code fnv1a_64("été")} is {@code 0xea769c57}, not the textbook {@code 0x88b51857}.
 * {@link #CRC32} is twemproxy's libmemcached-compatible 15-bit variant; {@link #CRC32A}
 * is the standard CRC-32.
 * <p>
 * All hashes are thread-safe and allocate nothing (MD5 keeps one {@link MessageDigest}
 * per thread).
 */
public enum HashFunction {

	/** The first four bytes of the MD5 digest, little-endian (libketama's key hash). */
	MD5("md5") {
		@Override
		public int hash(byte[] key, int offset, int length) {
			return Md5.digestWord(key, offset, length, 0);
		}
	},

	/**
	 * CRC-16/XMODEM (polynomial 0x1021, initial value 0) computed in a 32-bit register
	 * that is never cut back to 16 bits, as twemproxy 0.5.0 does: the low 16 bits are the
	 * CRC, the high ones whatever the shifts left there. (Later twemproxy sources use
	 * another CRC-16; the Debian {@code nutcracker} 0.5.0 behaves as this one.)
	 */
	CRC16("crc16") {
		@Override
		public int hash(byte[] key, int offset, int length) {
			return crc16(key, offset, length);
		}
	},

	/** libmemcached's CRC-32: bits 16..30 of the standard CRC-32, so 0..32767 only. */
	CRC32("crc32") {
		@Override
		public int hash(byte[] key, int offset, int length) {
			return (crc32(key, offset, length) >>> 16) & 0x7fff;
		}
	},

	/** The standard CRC-32 (as zlib, {@link java.util.zip.CRC32}). */
	CRC32A("crc32a") {
		@Override
		public int hash(byte[] key, int offset, int length) {
			return crc32(key, offset, length);
		}
	},

	/** The low 32 bits of FNV-1 64-bit, bytes sign-extended. */
	FNV1_64("fnv1_64") {
		@Override
		public int hash(byte[] key, int offset, int length) {
			// the low 32 bits of a 64-bit product depend only on the low 32 bits of its
			// factors
			return fnv1(key, offset, length, FNV_64_INIT_LOW, FNV_64_PRIME_LOW);
		}
	},

	/**
	 * FNV-1a with the 64-bit basis and prime cut to 32 bits, bytes sign-extended
	 * (twemproxy's default).
	 */
	FNV1A_64("fnv1a_64") {
		@Override
		public int hash(byte[] key, int offset, int length) {
			return fnv1a(key, offset, length, FNV_64_INIT_LOW, FNV_64_PRIME_LOW);
		}
	},

	/** FNV-1 32-bit, bytes sign-extended. */
	FNV1_32("fnv1_32") {
		@Override
		public int hash(byte[] key, int offset, int length) {
			return fnv1(key, offset, length, FNV_32_INIT, FNV_32_PRIME);
		}
	},

	/** FNV-1a 32-bit, bytes sign-extended. */
	FNV1A_32("fnv1a_32") {
		@Override
		public int hash(byte[] key, int offset, int length) {
			return fnv1a(key, offset, length, FNV_32_INIT, FNV_32_PRIME);
		}
	},

	/**
	 * Paul Hsieh's SuperFastHash as libmemcached has it: initial value 0 instead of the
	 * length.
	 */
	HSIEH("hsieh") {
		@Override
		public int hash(byte[] key, int offset, int length) {
			return hsieh(key, offset, length);
		}
	},

	/** MurmurHash2 (32-bit) seeded with {@code 0xdeadbeef * length}. */
	MURMUR("murmur") {
		@Override
		public int hash(byte[] key, int offset, int length) {
			return murmur2(key, offset, length, 0xdeadbeef * length);
		}
	},

	/** Bob Jenkins' lookup3 {@code hashlittle} with initial value 13. */
	JENKINS("jenkins") {
		@Override
		public int hash(byte[] key, int offset, int length) {
			return lookup3(key, offset, length, 13);
		}
	},

	/** Bob Jenkins' one-at-a-time hash, bytes sign-extended. */
	ONE_AT_A_TIME("one_at_a_time") {
		@Override
		public int hash(byte[] key, int offset, int length) {
			return oneAtATime(key, offset, length);
		}
	};

	private static final int FNV_64_INIT_LOW = 0x84222325; // 0xcbf29ce484222325

	private static final int FNV_64_PRIME_LOW = 0x000001b3; // 0x00000100000001b3

	private static final int FNV_32_INIT = 0x811c9dc5;

	private static final int FNV_32_PRIME = 0x01000193;

	private static final int[] CRC32_TABLE = reflectedTable(0xedb88320);

	private static final int[] CRC16_TABLE = xmodemTable();

	private final String twemproxyName;

	HashFunction(String twemproxyName) {
		this.twemproxyName = twemproxyName;
	}

	/**
	 * Hashes {@code length} bytes of {@code key} from {@code offset}.
	 * @return the unsigned 32-bit hash, as an {@code int}
	 */
	public abstract int hash(byte[] key, int offset, int length);

	/** The name twemproxy's {@code hash:} setting uses, such as {@code fnv1a_64}. */
	public String twemproxyName() {
		return this.twemproxyName;
	}

	/**
	 * The hash called {@code name} in twemproxy's configuration ({@code md5},
	 * {@code fnv1a_64}, {@code one_at_a_time}, …); case and surrounding blanks are
	 * ignored.
	 * @throws IllegalArgumentException if no hash has that name; the message lists the
	 * names
	 */
	public static HashFunction parse(String name) {
		String wanted = name.strip().toLowerCase(Locale.ROOT);
		for (HashFunction function : values()) {
			if (function.twemproxyName.equals(wanted)) {
				return function;
			}
		}
		throw new IllegalArgumentException("Unknown hash '" + name + "': use one of "
				+ Arrays.stream(values()).map(HashFunction::twemproxyName).collect(Collectors.joining(", ")));
	}

	private static int fnv1(byte[] key, int offset, int length, int basis, int prime) {
		int hash = basis;
		for (int i = offset, end = offset + length; i < end; i++) {
			hash *= prime;
			hash ^= key[i]; // sign-extended, as (uint32_t) of a signed char
		}
		return hash;
	}

	private static int fnv1a(byte[] key, int offset, int length, int basis, int prime) {
		int hash = basis;
		for (int i = offset, end = offset + length; i < end; i++) {
			hash ^= key[i]; // sign-extended, as (uint32_t) of a signed char
			hash *= prime;
		}
		return hash;
	}

	private static int crc16(byte[] key, int offset, int length) {
		int crc = 0;
		for (int i = offset, end = offset + length; i < end; i++) {
			crc = (crc << 8) ^ CRC16_TABLE[((crc >>> 8) ^ key[i]) & 0xff]; // no "&
																			// 0xffff", as
																			// in
																			// twemproxy
		}
		return crc;
	}

	private static int crc32(byte[] key, int offset, int length) {
		int crc = 0xffffffff;
		for (int i = offset, end = offset + length; i < end; i++) {
			crc = (crc >>> 8) ^ CRC32_TABLE[(crc ^ key[i]) & 0xff];
		}
		return ~crc;
	}

	private static int[] reflectedTable(int polynomial) {
		int[] table = new int[256];
		for (int n = 0; n < 256; n++) {
			int c = n;
			for (int bit = 0; bit < 8; bit++) {
				c = ((c & 1) != 0) ? (c >>> 1) ^ polynomial : c >>> 1;
			}
			table[n] = c;
		}
		return table;
	}

	private static int[] xmodemTable() {
		int[] table = new int[256];
		for (int n = 0; n < 256; n++) {
			int c = n << 8;
			for (int bit = 0; bit < 8; bit++) {
				c = ((c & 0x8000) != 0) ? (c << 1) ^ 0x1021 : c << 1;
			}
			table[n] = c & 0xffff;
		}
		return table;
	}

	private static int oneAtATime(byte[] key, int offset, int length) {
		int value = 0;
		for (int i = offset, end = offset + length; i < end; i++) {
			value += key[i]; // sign-extended
			value += value << 10;
			value ^= value >>> 6;
		}
		value += value << 3;
		value ^= value >>> 11;
		value += value << 15;
		return value;
	}

	private static int hsieh(byte[] key, int offset, int length) {
		if (length <= 0) {
			return 0;
		}
		int hash = 0;
		int p = offset;
		for (int blocks = length >>> 2; blocks > 0; blocks--) {
			hash += le16(key, p);
			int tmp = (le16(key, p + 2) << 11) ^ hash;
			hash = (hash << 16) ^ tmp;
			p += 4;
			hash += hash >>> 11;
		}
		switch (length & 3) {
			case 3 -> {
				hash += le16(key, p);
				hash ^= hash << 16;
				hash ^= key[p + 2] << 18; // a signed char in twemproxy: sign-extended
				hash += hash >>> 11;
			}
			case 2 -> {
				hash += le16(key, p);
				hash ^= hash << 11;
				hash += hash >>> 17;
			}
			case 1 -> {
				hash += key[p] & 0xff;
				hash ^= hash << 10;
				hash += hash >>> 1;
			}
			default -> {
			}
		}
		hash ^= hash << 3;
		hash += hash >>> 5;
		hash ^= hash << 4;
		hash += hash >>> 17;
		hash ^= hash << 25;
		hash += hash >>> 6;
		return hash;
	}

	/** MurmurHash2, 32-bit, little-endian reads (as on x86-64). */
	static int murmur2(byte[] key, int offset, int length, int seed) {
		final int m = 0x5bd1e995;
		int h = seed ^ length;
		int p = offset;
		int remaining = length;
		while (remaining >= 4) {
			int k = le32(key, p);
			k *= m;
			k ^= k >>> 24;
			k *= m;
			h *= m;
			h ^= k;
			p += 4;
			remaining -= 4;
		}
		switch (remaining) {
			case 3 -> {
				h ^= (key[p + 2] & 0xff) << 16;
				h ^= (key[p + 1] & 0xff) << 8;
				h ^= key[p] & 0xff;
				h *= m;
			}
			case 2 -> {
				h ^= (key[p + 1] & 0xff) << 8;
				h ^= key[p] & 0xff;
				h *= m;
			}
			case 1 -> {
				h ^= key[p] & 0xff;
				h *= m;
			}
			default -> {
			}
		}
		h ^= h >>> 13;
		h *= m;
		h ^= h >>> 15;
		return h;
	}

	/**
	 * Bob Jenkins' lookup3 {@code hashlittle}. Twemproxy reads aligned keys a word at a
	 * time and others byte by byte; on a little-endian machine both read the same
	 * numbers, as here.
	 */
	static int lookup3(byte[] key, int offset, int length, int initval) {
		int a = 0xdeadbeef + length + initval;
		int b = a;
		int c = a;
		int p = offset;
		int remaining = length;
		while (remaining > 12) {
			a += le32(key, p);
			b += le32(key, p + 4);
			c += le32(key, p + 8);
			// mix(a, b, c)
			a -= c;
			a ^= Integer.rotateLeft(c, 4);
			c += b;
			b -= a;
			b ^= Integer.rotateLeft(a, 6);
			a += c;
			c -= b;
			c ^= Integer.rotateLeft(b, 8);
			b += a;
			a -= c;
			a ^= Integer.rotateLeft(c, 16);
			c += b;
			b -= a;
			b ^= Integer.rotateLeft(a, 19);
			a += c;
			c -= b;
			c ^= Integer.rotateLeft(b, 4);
			b += a;
			remaining -= 12;
			p += 12;
		}
		if (remaining == 0) {
			return c; // only for the empty key: no mixing
		}
		a += leTail(key, p, Math.min(remaining, 4));
		if (remaining > 4) {
			b += leTail(key, p + 4, Math.min(remaining - 4, 4));
		}
		if (remaining > 8) {
			c += leTail(key, p + 8, remaining - 8);
		}
		// final(a, b, c)
		c ^= b;
		c -= Integer.rotateLeft(b, 14);
		a ^= c;
		a -= Integer.rotateLeft(c, 11);
		b ^= a;
		b -= Integer.rotateLeft(a, 25);
		c ^= b;
		c -= Integer.rotateLeft(b, 16);
		a ^= c;
		a -= Integer.rotateLeft(c, 4);
		b ^= a;
		b -= Integer.rotateLeft(a, 14);
		c ^= b;
		c -= Integer.rotateLeft(b, 24);
		return c;
	}

	private static int le16(byte[] bytes, int at) {
		return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8;
	}

	private static int le32(byte[] bytes, int at) {
		return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16
				| (bytes[at + 3] & 0xff) << 24;
	}

	/** Up to four bytes, little-endian, zero above {@code count}. */
	private static int leTail(byte[] bytes, int at, int count) {
		int word = 0;
		for (int i = count - 1; i >= 0; i--) {
			word = (word << 8) | (bytes[at + i] & 0xff);
		}
		return word;
	}

	/** One MD5 engine and output buffer per thread, so that hashing allocates nothing. */
	static final class Md5 {

		private static final MessageDigest PROTOTYPE;

		static {
			try {
				PROTOTYPE = MessageDigest.getInstance("MD5");
			}
			catch (NoSuchAlgorithmException ex) {
				throw new ExceptionInInitializerError(ex); // every Java platform must
															// provide MD5
			}
		}

		private static final ThreadLocal<Md5> PER_THREAD = ThreadLocal.withInitial(Md5::new);

		private final MessageDigest digest;

		private final byte[] result = new byte[16];

		private Md5() {
			try {
				this.digest = (MessageDigest) PROTOTYPE.clone();
			}
			catch (CloneNotSupportedException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * The {@code word}-th (0..3) little-endian 32-bit word of the MD5 digest of the
		 * bytes, as twemproxy's {@code ketama_hash(key, length, word)}; word 0 is
		 * {@code hash_md5}.
		 */
		static int digestWord(byte[] bytes, int offset, int length, int word) {
			byte[] digest = digest(bytes, offset, length);
			return le32(digest, word * 4);
		}

		/**
		 * The digest in a per-thread buffer: read it before the next call on this thread.
		 */
		static byte[] digest(byte[] bytes, int offset, int length) {
			Md5 md5 = PER_THREAD.get();
			md5.digest.update(bytes, offset, length);
			try {
				md5.digest.digest(md5.result, 0, 16);
			}
			catch (java.security.DigestException ex) {
				throw new IllegalStateException(ex); // 16 bytes always fit
			}
			return md5.result;
		}

		static int word(byte[] digest, int word) {
			return le32(digest, word * 4);
		}

	}

}
