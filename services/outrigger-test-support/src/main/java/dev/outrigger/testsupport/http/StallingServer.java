package dev.outrigger.testsupport.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A real HTTP peer on loopback that reads each request and never answers: a straggler. It
 * notices when the caller gives up — the caller closes the connection, and the read it
 * waits in returns end of stream — so a test can check that a cancelled call really went
 * away, not just that the caller stopped waiting:
 *
 * <pre>{@code
 * try (StallingServer straggler = StallingServer.start()) {
 *     ... call straggler.uri("/search") with a deadline ...
 *     straggler.awaitClosed(1, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class StallingServer implements AutoCloseable {

	private final ServerSocket server;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final List<String> requestLines = new ArrayList<>();

	private final List<Socket> open = new ArrayList<>();

	private int accepted;

	private int closed;

	private volatile boolean stopping;

	private StallingServer(ServerSocket server) {
		this.server = server;
		this.executor.submit(this::accept);
	}

	/** A straggler on a free loopback port. */
	public static StallingServer start() {
		try {
			return new StallingServer(new ServerSocket(0, 128, InetAddress.getLoopbackAddress()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No stalling server on loopback", ex);
		}
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** {@code http://127.0.0.1:<port><path>}. */
	public URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port() + path);
	}

	/** Connections accepted so far. */
	public int accepted() {
		this.lock.lock();
		try {
			return this.accepted;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The request line of every request read so far, such as {@code GET /a HTTP/1.1}. */
	public List<String> requestLines() {
		this.lock.lock();
		try {
			return List.copyOf(this.requestLines);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until callers have closed {@code count} connections.
	 * @throws AssertionError if they did not within {@code timeout}
	 */
	public void awaitClosed(int count, Duration timeout) throws InterruptedException {
		long left = timeout.toNanos();
		this.lock.lock();
		try {
			while (this.closed < count) {
				if (left <= 0) {
					throw new AssertionError("callers closed " + this.closed + " of " + this.accepted
							+ " connections, expected " + count + " within " + timeout);
				}
				left = this.changed.awaitNanos(left);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.lock.lock();
				try {
					this.accepted++;
					this.open.add(socket);
					this.changed.signalAll();
				}
				finally {
					this.lock.unlock();
				}
				this.executor.submit(() -> stall(socket));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	/** Reads the request head, then waits for the caller to hang up. */
	private void stall(Socket socket) {
		try (socket; InputStream in = socket.getInputStream()) {
			StringBuilder head = new StringBuilder();
			int read;
			while ((read = in.read()) >= 0) {
				head.append((char) read);
				if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
					record(head.substring(0, head.indexOf("\r\n")));
					break;
				}
			}
			// a body, if any, and then the end of the stream when the caller closes
			while (in.read() >= 0) {
				// drained
			}
		}
		catch (IOException ex) {
			// reset by the caller: closed all the same
		}
		if (this.stopping) {
			// closed by this server's own close, not by the caller
			return;
		}
		this.lock.lock();
		try {
			this.closed++;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void record(String requestLine) {
		this.lock.lock();
		try {
			this.requestLines.add(requestLine);
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void close() throws IOException {
		this.stopping = true;
		this.server.close();
		this.lock.lock();
		try {
			for (Socket socket : this.open) {
				socket.close();
			}
		}
		finally {
			this.lock.unlock();
		}
		this.executor.shutdownNow();
		try {
			this.executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
