package dev.outrigger.ambassador.resp;

import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Frames client commands, one {@link RespCommand} per command, modelled on netty's
 * {@code RedisDecoder}: an explicit state machine that returns when it needs more bytes,
 * limits on line, bulk and array sizes, and a reset on error (after which input is
 * discarded: the session answers {@code -ERR Protocol error} and closes, as Redis does).
 * <p>
 * Nothing is consumed until a whole command is present, so the command leaves as one
 * retained slice of the original bytes; the parse state is kept as offsets from the
 * command's start, which survive the cumulation buffer being compacted between calls.
 */
public final class RespCommandDecoder extends ByteToMessageDecoder {

	/** Redis' own limit on arguments per command. */
	static final int MAX_ARGS = 1024 * 1024;

	/** {@code *} or {@code $}, up to 19 digits (and a sign), CRLF. */
	private static final int MAX_HEADER_LINE = 24;

	private enum State {

		START, ARRAY_HEADER, ARG_HEADER, ARG_BODY, INLINE, DISCARD

	}

	private final int maxBulkLength;

	private final int maxInlineLength;

	private State state = State.START;

	/** Bytes of the current command already parsed, from the reader index. */
	private int cursor;

	private int argc;

	private int arg;

	private int bulkLength;

	private int[] offsets = new int[8];

	private int[] lengths = new int[8];

	public RespCommandDecoder(int maxBulkLength, int maxInlineLength) {
		this.maxBulkLength = maxBulkLength;
		this.maxInlineLength = maxInlineLength;
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		try {
			while (step(in, out)) {
				// each step consumed a state; loop until one needs more bytes
			}
		}
		catch (RespProtocolException ex) {
			resetCommand();
			this.state = State.DISCARD;
			in.skipBytes(in.readableBytes());
			throw ex;
		}
	}

	private boolean step(ByteBuf in, List<Object> out) {
		switch (this.state) {
			case START -> {
				if (!in.isReadable()) {
					return false;
				}
				this.cursor = 0;
				this.state = (in.getByte(in.readerIndex()) == '*') ? State.ARRAY_HEADER : State.INLINE;
				return true;
			}
			case ARRAY_HEADER -> {
				long n = readHeader(in, "multibulk");
				if (n == NEED_MORE) {
					return false;
				}
				if (n > MAX_ARGS) {
					throw new RespProtocolException("invalid multibulk length");
				}
				if (n <= 0) {
					// Redis ignores empty and null arrays from clients
					in.skipBytes(this.cursor);
					resetCommand();
					return true;
				}
				this.argc = (int) n;
				this.arg = 0;
				ensureCapacity(Math.min(this.argc, 64));
				this.state = State.ARG_HEADER;
				return true;
			}
			case ARG_HEADER -> {
				if (in.readableBytes() <= this.cursor) {
					return false;
				}
				byte type = in.getByte(in.readerIndex() + this.cursor);
				if (type != '$') {
					throw new RespProtocolException("expected '$', got '" + printable(type) + "'");
				}
				long length = readHeader(in, "bulk");
				if (length == NEED_MORE) {
					return false;
				}
				if (length < 0 || length > this.maxBulkLength) {
					throw new RespProtocolException("invalid bulk length");
				}
				this.bulkLength = (int) length;
				this.state = State.ARG_BODY;
				return true;
			}
			case ARG_BODY -> {
				long end = (long) this.cursor + this.bulkLength + 2;
				if (end > Integer.MAX_VALUE) {
					throw new RespProtocolException("command too large");
				}
				if (in.readableBytes() < end) {
					return false;
				}
				int crlf = in.readerIndex() + this.cursor + this.bulkLength;
				if (in.getByte(crlf) != '\r' || in.getByte(crlf + 1) != '\n') {
					throw new RespProtocolException("bulk string not terminated by CRLF");
				}
				ensureCapacity(this.arg + 1);
				this.offsets[this.arg] = this.cursor;
				this.lengths[this.arg] = this.bulkLength;
				this.arg++;
				this.cursor = (int) end;
				if (this.arg < this.argc) {
					this.state = State.ARG_HEADER;
					return true;
				}
				emit(in, out, false);
				return true;
			}
			case INLINE -> {
				return readInline(in, out);
			}
			case DISCARD -> {
				in.skipBytes(in.readableBytes());
				return false;
			}
		}
		throw new IllegalStateException(this.state.name());
	}

	private static final long NEED_MORE = Long.MIN_VALUE + 1;

	/**
	 * Reads {@code <type><digits>\r\n} at the cursor; the digits go through
	 * {@link RespNumbers}.
	 */
	private long readHeader(ByteBuf in, String what) {
		int start = in.readerIndex() + this.cursor;
		int limit = Math.min(in.writerIndex(), start + MAX_HEADER_LINE);
		int lf = in.indexOf(start, limit, (byte) '\n');
		if (lf < 0) {
			if (in.writerIndex() - start >= MAX_HEADER_LINE) {
				throw new RespProtocolException("invalid " + what + " length");
			}
			return NEED_MORE;
		}
		if (lf - 1 <= start || in.getByte(lf - 1) != '\r') {
			throw new RespProtocolException("invalid " + what + " length");
		}
		long value = RespNumbers.parse(in, start + 1, lf - 1 - (start + 1));
		if (value == Long.MIN_VALUE) {
			throw new RespProtocolException("invalid " + what + " length");
		}
		this.cursor = lf + 1 - in.readerIndex();
		return value;
	}

	/** Inline command: arguments separated by spaces; quotes are not interpreted. */
	private boolean readInline(ByteBuf in, List<Object> out) {
		int start = in.readerIndex();
		int limit = Math.min(in.writerIndex(), start + this.maxInlineLength);
		int lf = in.indexOf(start, limit, (byte) '\n');
		if (lf < 0) {
			if (in.readableBytes() >= this.maxInlineLength) {
				throw new RespProtocolException("too big inline request");
			}
			return false;
		}
		int end = (lf > start && in.getByte(lf - 1) == '\r') ? lf - 1 : lf;
		this.argc = 0;
		int i = start;
		while (i < end) {
			while (i < end && isBlank(in.getByte(i))) {
				i++;
			}
			if (i == end) {
				break;
			}
			int argStart = i;
			while (i < end && !isBlank(in.getByte(i))) {
				i++;
			}
			ensureCapacity(this.argc + 1);
			this.offsets[this.argc] = argStart - start;
			this.lengths[this.argc] = i - argStart;
			this.argc++;
		}
		this.cursor = lf + 1 - start;
		if (this.argc == 0) {
			// an empty line is ignored, as Redis does
			in.skipBytes(this.cursor);
			resetCommand();
			return true;
		}
		this.arg = this.argc;
		emit(in, out, true);
		return true;
	}

	private void emit(ByteBuf in, List<Object> out, boolean inline) {
		int[] commandOffsets = Arrays.copyOf(this.offsets, this.argc);
		int[] commandLengths = Arrays.copyOf(this.lengths, this.argc);
		int count = this.argc;
		int size = this.cursor;
		resetCommand();
		// retain last, after everything that can throw
		out.add(new RespCommand(in.readRetainedSlice(size), count, commandOffsets, commandLengths, inline));
	}

	private void resetCommand() {
		this.state = State.START;
		this.cursor = 0;
		this.argc = 0;
		this.arg = 0;
		this.bulkLength = 0;
	}

	private void ensureCapacity(int n) {
		if (n > this.offsets.length) {
			int size = Math.max(n, this.offsets.length * 2);
			this.offsets = Arrays.copyOf(this.offsets, size);
			this.lengths = Arrays.copyOf(this.lengths, size);
		}
	}

	private static boolean isBlank(byte b) {
		return b == ' ' || b == '\t';
	}

	private static String printable(byte b) {
		return (b >= 0x20 && b < 0x7f) ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
	}

}
