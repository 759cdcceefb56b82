package dev.outrigger.ambassador.ring;

/**
 * Twemproxy's {@code hash_tag}: when a key holds {@code open}, then {@code close} further
 * on, with at least one byte between them, only those bytes are hashed, so that
 * {@code user:{42}:name} and {@code user:{42}:mail} land on the same server. The first
 * {@code open} and the first {@code close} after it count; a key without both, or with
 * nothing between them, is hashed whole.
 *
 * @param open the byte that opens the tag, such as {@code '{'} @param close the byte that
 * closes it, such as {@code '}'}; may equal {@code open}
 */
public record HashTag(byte open, byte close) {

	/**
	 * The tag written as its two characters, as in twemproxy's {@code hash_tag: "{}"}.
	 * @throws IllegalArgumentException unless {@code twoCharacters} is exactly two ASCII
	 * characters (twemproxy wants two bytes of UTF-8)
	 */
	public static HashTag parse(String twoCharacters) {
		if (twoCharacters.length() != 2 || twoCharacters.charAt(0) > 0x7f || twoCharacters.charAt(1) > 0x7f) {
			throw new IllegalArgumentException(
					"Invalid hash tag '" + twoCharacters + "': use two ASCII characters, such as \"{}\"");
		}
		return new HashTag((byte) twoCharacters.charAt(0), (byte) twoCharacters.charAt(1));
	}

	/**
	 * The part of {@code key[offset, offset + length)} to hash, packed as
	 * {@code (long) start << 32 | length} so that routing allocates nothing: the bytes
	 * between the first {@code open} and the first {@code close} after it, or the whole
	 * key.
	 */
	long span(byte[] key, int offset, int length) {
		int end = offset + length;
		for (int i = offset; i < end; i++) {
			if (key[i] == this.open) {
				for (int j = i + 1; j < end; j++) {
					if (key[j] == this.close) {
						return (j - i > 1) ? pack(i + 1, j - i - 1) : pack(offset, length);
					}
				}
				break;
			}
		}
		return pack(offset, length);
	}

	private static long pack(int start, int length) {
		return (long) start << 32 | length;
	}

	@Override
	public String toString() {
		return "HashTag[" + (char) (this.open & 0xff) + (char) (this.close & 0xff) + "]";
	}

}
