package dev.outrigger.scatter.gather;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of leaf answers the root holds at once, over all requests: each request takes
 * from it as answers stream in and gives back when it has answered, so memory stays
 * bounded however large the fan-out or the load.
 */
public final class BufferBudget {

	private final long capacity;

	private final AtomicLong free;

	public BufferBudget(long capacity) {
		this.capacity = capacity;
		this.free = new AtomicLong(capacity);
	}

	public long capacity() {
		return this.capacity;
	}

	/** Bytes not taken now. */
	public long free() {
		return this.free.get();
	}

	/** An account for one request. */
	Account open() {
		return new Account();
	}

	/**
	 * What one request took; closing gives it all back. An answer still streaming in
	 * after its request answered (a cancelled call) takes nothing more.
	 */
	final class Account implements AutoCloseable {

		private long held;

		private boolean closed;

		/** Takes {@code bytes}, or nothing (false) when the budget cannot spare them. */
		synchronized boolean take(long bytes) {
			if (this.closed) {
				return false;
			}
			long left = BufferBudget.this.free.addAndGet(-bytes);
			if (left < 0) {
				BufferBudget.this.free.addAndGet(bytes);
				return false;
			}
			this.held += bytes;
			return true;
		}

		@Override
		public synchronized void close() {
			this.closed = true;
			BufferBudget.this.free.addAndGet(this.held);
			this.held = 0;
		}

	}

}
