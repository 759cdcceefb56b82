package dev.outrigger.ambassador.resp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One client command as it arrived: a retained slice of the original bytes plus where
 * each argument sits in it. No per-argument objects; whoever consumes the command last
 * releases it.
 */
public final class RespCommand extends DefaultByteBufHolder {

	private final int argc;

	private final int[] offsets;

	private final int[] lengths;

	private final boolean inline;

	private final String name;

	RespCommand(ByteBuf frame, int argc, int[] offsets, int[] lengths, boolean inline) {
		super(frame);
		this.argc = argc;
		this.offsets = offsets;
		this.lengths = lengths;
		this.inline = inline;
		this.name = (argc > 0) ? argAsString(0).toUpperCase(Locale.ROOT) : "";
	}

	/** The command name, upper-cased (the only argument turned into a String). */
	public String name() {
		return this.name;
	}

	public int argc() {
		return this.argc;
	}

	/** Whether this came as an inline (telnet) line rather than a RESP array. */
	public boolean inline() {
		return this.inline;
	}

	/** Offset of argument {@code i} within {@link #content()}. */
	public int offset(int i) {
		return this.offsets[i];
	}

	public int length(int i) {
		return this.lengths[i];
	}

	/** The bytes of argument {@code i}, as an absolute index into {@link #content()}. */
	public int absoluteOffset(int i) {
		return content().readerIndex() + this.offsets[i];
	}

	public String argAsString(int i) {
		return content().toString(absoluteOffset(i), this.lengths[i], StandardCharsets.UTF_8);
	}

	/**
	 * Parses argument {@code i} as a decimal integer, or returns {@code Long.MIN_VALUE}.
	 */
	public long argAsLong(int i) {
		return RespNumbers.parse(content(), absoluteOffset(i), this.lengths[i]);
	}

	/** Whether argument {@code i} equals {@code ascii}, ignoring ASCII case. */
	public boolean argEqualsIgnoreCase(int i, String ascii) {
		if (this.lengths[i] != ascii.length()) {
			return false;
		}
		int base = absoluteOffset(i);
		for (int k = 0; k < ascii.length(); k++) {
			int b = content().getByte(base + k);
			if (Character.toUpperCase(b) != Character.toUpperCase(ascii.charAt(k))) {
				return false;
			}
		}
		return true;
	}

	@Override
	public String toString() {
		return "RespCommand[" + this.name + ", argc=" + this.argc + "]";
	}

}
