package dev.outrigger.ambassador.resp;

import io.netty.buffer.ByteBuf;

/** Decimal parsing shared by both decoders and the reply merger; never allocates. */
final class RespNumbers {

	/** More digits than this cannot be a length we accept (nor a signed 64-bit value). */
	static final int MAX_DIGITS = 19;

	private RespNumbers() {
	}

	/**
	 * Parses an optionally negative decimal in {@code buf[index, index + length)}.
	 * @return the value, or {@link Long#MIN_VALUE} if it is not a well-formed number
	 */
	static long parse(ByteBuf buf, int index, int length) {
		if (length <= 0) {
			return Long.MIN_VALUE;
		}
		boolean negative = buf.getByte(index) == '-';
		int start = negative ? index + 1 : index;
		int end = index + length;
		if (start == end || end - start > MAX_DIGITS) {
			return Long.MIN_VALUE;
		}
		long value = 0;
		for (int i = start; i < end; i++) {
			int digit = buf.getByte(i) - '0';
			if (digit < 0 || digit > 9) {
				return Long.MIN_VALUE;
			}
			value = value * 10 + digit;
			if (value < 0) {
				return Long.MIN_VALUE;
			}
		}
		return negative ? -value : value;
	}

}
