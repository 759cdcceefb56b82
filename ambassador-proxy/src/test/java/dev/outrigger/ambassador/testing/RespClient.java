package dev.outrigger.ambassador.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RESP2 client over a plain socket, for tests that must control the exact bytes
 * on the wire (pipelines, inline commands, malformed frames) rather than trust a real
 * client library.
 * <p>
 * Commands are arrays of bulk strings built from strings (UTF-8) and byte arrays. Replies
 * are read as {@link String} (simple string), {@link Error}, {@link Long}, {@link String}
 * (bulk string, decoded as UTF-8), {@code null} (null bulk or array) or {@link List}.
 */
public final class RespClient implements AutoCloseable {

	/**
	 * Commands per write-then-read round in {@link #pipeline}, so neither side's buffers
	 * fill up.
	 */
	private static final int PIPELINE_BATCH = 256;

	private final Socket socket;

	private final OutputStream out;

	private final InputStream in;

	/** Connects to {@code port} on the loopback address. */
	public RespClient(int port) throws IOException {
		this(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
	}

	public RespClient(InetSocketAddress address) throws IOException {
		this.socket = new Socket();
		this.socket.connect(address, 2000);
		this.socket.setSoTimeout(10_000);
		this.socket.setTcpNoDelay(true);
		this.out = new BufferedOutputStream(this.socket.getOutputStream(), 64 * 1024);
		this.in = new BufferedInputStream(this.socket.getInputStream(), 64 * 1024);
	}

	/** A command from strings (UTF-8) and byte arrays. */
	public static List<byte[]> command(Object... arguments) {
		List<byte[]> command = new ArrayList<>(arguments.length);
		for (Object argument : arguments) {
			command
				.add((argument instanceof byte[] bytes) ? bytes : argument.toString().getBytes(StandardCharsets.UTF_8));
		}
		return command;
	}

	/** The command's bytes on the wire, for tests that assemble their own pipelines. */
	public static byte[] encode(Object... arguments) {
		return bytes(command(arguments));
	}

	private static byte[] bytes(List<byte[]> command) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.writeBytes(('*' + Integer.toString(command.size()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
		for (byte[] argument : command) {
			bytes.writeBytes(('$' + Integer.toString(argument.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			bytes.writeBytes(argument);
			bytes.write('\r');
			bytes.write('\n');
		}
		return bytes.toByteArray();
	}

	/** Sends one command and returns its reply. */
	public Object call(Object... arguments) throws IOException {
		send(arguments);
		return read();
	}

	/** Sends the commands in pipelined batches and returns their replies, in order. */
	public List<Object> pipeline(List<List<byte[]>> commands) throws IOException {
		List<Object> replies = new ArrayList<>(commands.size());
		for (int from = 0; from < commands.size(); from += PIPELINE_BATCH) {
			List<List<byte[]>> batch = commands.subList(from, Math.min(commands.size(), from + PIPELINE_BATCH));
			for (List<byte[]> command : batch) {
				this.out.write(bytes(command));
			}
			this.out.flush();
			for (int i = 0; i < batch.size(); i++) {
				replies.add(read());
			}
		}
		return replies;
	}

	/** Sends one command without reading its reply (see {@link #read()}). */
	public RespClient send(Object... arguments) throws IOException {
		return sendRaw(encode(arguments));
	}

	/** Sends the text as it is (UTF-8): inline commands, malformed frames. */
	public RespClient sendRaw(String raw) throws IOException {
		return sendRaw(raw.getBytes(StandardCharsets.UTF_8));
	}

	/** Sends the bytes as they are, at once. */
	public RespClient sendRaw(byte[] raw) throws IOException {
		this.out.write(raw);
		this.out.flush();
		return this;
	}

	/** Reads the next reply. */
	public Object read() throws IOException {
		int type = this.in.read();
		if (type < 0) {
			throw new EOFException("The server closed the connection");
		}
		String line = readLine();
		return switch (type) {
			case '+' -> line;
			case '-' -> new Error(line);
			case ':' -> Long.parseLong(line);
			case '$' -> {
				int length = Integer.parseInt(line);
				if (length < 0) {
					yield null;
				}
				byte[] bulk = this.in.readNBytes(length);
				if (bulk.length != length || this.in.read() != '\r' || this.in.read() != '\n') {
					throw new IOException("Truncated bulk string");
				}
				yield new String(bulk, StandardCharsets.UTF_8);
			}
			case '*' -> {
				int count = Integer.parseInt(line);
				if (count < 0) {
					yield null;
				}
				List<Object> elements = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					elements.add(read());
				}
				yield elements;
			}
			default -> throw new IOException("Unexpected reply type '" + (char) type + "' " + line);
		};
	}

	/**
	 * True if the server closed the connection (reads EOF, or the connection is reset).
	 */
	public boolean closedByPeer() throws IOException {
		try {
			return this.in.read() < 0;
		}
		catch (SocketException ex) {
			return true;
		}
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		while (true) {
			int next = this.in.read();
			if (next < 0) {
				throw new EOFException("The server closed the connection mid-reply");
			}
			if (previous == '\r' && next == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			line.write(next);
			previous = next;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * An error reply. Its {@link #toString()} is the reply line as sent
	 * ({@code -ERR ...}), so that string assertions on a reply read like the protocol.
	 *
	 * @param message the line after the {@code -}
	 */
	public record Error(String message) {

		@Override
		public String toString() {
			return "-" + this.message;
		}

	}

}
