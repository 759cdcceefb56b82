package dev.outrigger.ambassador.resp;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** The proxy's own replies, encoded straight into buffers. */
final class Replies {

	private static final ByteBuf OK = constant("+OK\r\n");

	private static final ByteBuf PONG = constant("+PONG\r\n");

	private Replies() {
	}

	/** A shared constant; duplicates are unreleasable, so writing one never frees it. */
	private static ByteBuf constant(String text) {
		return Unpooled.unreleasableBuffer(
				Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII)).asReadOnly());
	}

	static ByteBuf ok() {
		return OK.duplicate();
	}

	static ByteBuf pong() {
		return PONG.duplicate();
	}

	/**
	 * {@code -<message>}; the message must carry its own prefix ({@code ERR},
	 * {@code CROSSSLOT}…).
	 */
	static ByteBuf error(ByteBufAllocator alloc, String message) {
		String line = message.replace('\r', ' ').replace('\n', ' ');
		ByteBuf buf = alloc.buffer(line.length() + 3);
		buf.writeByte('-');
		ByteBufUtil.writeUtf8(buf, line);
		return crlf(buf);
	}

	static ByteBuf integer(ByteBufAllocator alloc, long value) {
		ByteBuf buf = alloc.buffer(24);
		buf.writeByte(':');
		ByteBufUtil.writeAscii(buf, Long.toString(value));
		return crlf(buf);
	}

	static ByteBuf bulk(ByteBufAllocator alloc, ByteBuf source, int index, int length) {
		ByteBuf buf = alloc.buffer(length + 16);
		writeBulk(buf, source, index, length);
		return buf;
	}

	static ByteBuf bulk(ByteBufAllocator alloc, String value) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		return bulk(alloc, Unpooled.wrappedBuffer(bytes), 0, bytes.length);
	}

	static void writeArrayHeader(ByteBuf buf, int count) {
		buf.writeByte('*');
		ByteBufUtil.writeAscii(buf, Integer.toString(count));
		crlf(buf);
	}

	static void writeBulk(ByteBuf buf, ByteBuf source, int index, int length) {
		buf.writeByte('$');
		ByteBufUtil.writeAscii(buf, Integer.toString(length));
		crlf(buf);
		buf.writeBytes(source, index, length);
		crlf(buf);
	}

	static void writeBulk(ByteBuf buf, String ascii) {
		buf.writeByte('$');
		ByteBufUtil.writeAscii(buf, Integer.toString(ascii.length()));
		crlf(buf);
		ByteBufUtil.writeAscii(buf, ascii);
		crlf(buf);
	}

	/**
	 * Rebuilds a command as a RESP array (used for inline commands and split fragments).
	 */
	static ByteBuf toArray(ByteBufAllocator alloc, RespCommand command) {
		ByteBuf buf = alloc.buffer(command.content().readableBytes() + 16 * command.argc());
		writeArrayHeader(buf, command.argc());
		for (int i = 0; i < command.argc(); i++) {
			writeBulk(buf, command.content(), command.absoluteOffset(i), command.length(i));
		}
		return buf;
	}

	/** The first line of a reply without its type byte, for error messages. */
	static String firstLine(ByteBuf reply) {
		int start = reply.readerIndex();
		int lf = reply.indexOf(start, reply.writerIndex(), (byte) '\n');
		int end = (lf > start && reply.getByte(lf - 1) == '\r') ? lf - 1 : reply.writerIndex();
		return reply.toString(start + 1, Math.max(0, end - start - 1), StandardCharsets.UTF_8);
	}

	static boolean isError(ByteBuf reply) {
		return reply.isReadable() && reply.getByte(reply.readerIndex()) == '-';
	}

	private static ByteBuf crlf(ByteBuf buf) {
		return buf.writeByte('\r').writeByte('\n');
	}

}
