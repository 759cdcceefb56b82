package dev.outrigger.ambassador.resp;

import io.netty.buffer.ByteBuf;

/**
 * Finds where one RESP2 reply ends by counting nested lengths; nothing is materialised.
 * The state (bytes scanned, elements still owed) survives between calls, so a reply that
 * arrives in many reads is scanned once. Nested arrays need no stack: an array of n adds
 * n elements owed.
 */
final class RespReplyScanner {

	private int cursor;

	private long owed = 1;

	/**
	 * Scans the reply that starts at {@code start}; call again with the same start when
	 * more bytes have arrived.
	 * @return the reply's length, or -1 if it is not complete yet
	 */
	int scan(ByteBuf buf, int start) {
		int end = buf.writerIndex();
		while (this.owed > 0) {
			int at = start + this.cursor;
			if (at >= end) {
				return -1;
			}
			byte type = buf.getByte(at);
			int lf = buf.indexOf(at + 1, end, (byte) '\n');
			if (lf < 0) {
				return -1;
			}
			if (buf.getByte(lf - 1) != '\r') {
				throw new RespProtocolException("reply line not terminated by CRLF");
			}
			int next = lf + 1;
			switch (type) {
				case '+', '-', ':' -> this.owed--;
				case '$' -> {
					long length = number(buf, at, lf);
					if (length >= 0) {
						long bodyEnd = (long) next + length + 2;
						if (bodyEnd > end) {
							return -1;
						}
						next = (int) bodyEnd;
					}
					this.owed--;
				}
				case '*' -> {
					long count = number(buf, at, lf);
					this.owed += Math.max(count, 0) - 1;
				}
				default ->
					throw new RespProtocolException("unexpected reply type byte 0x" + Integer.toHexString(type & 0xff));
			}
			this.cursor = next - start;
		}
		int length = this.cursor;
		this.cursor = 0;
		this.owed = 1;
		return length;
	}

	void reset() {
		this.cursor = 0;
		this.owed = 1;
	}

	private static long number(ByteBuf buf, int typeIndex, int lf) {
		long value = RespNumbers.parse(buf, typeIndex + 1, lf - 1 - (typeIndex + 1));
		if (value == Long.MIN_VALUE || value < -1) {
			throw new RespProtocolException("invalid length in reply");
		}
		return value;
	}

}
