package dev.outrigger.election.api;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.outrigger.election.Election;
import dev.outrigger.election.LeaderState;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open {@code /leader/events} streams. Each stream's changes are queued by the
 * election's listener (which must never block) and written by the stream's own virtual
 * thread, so a slow client delays only itself; a comment line every 15 s finds clients
 * that went away. On shutdown — after the kit's drain has released leadership, before the
 * web server stops — every stream sends what it still holds and ends, so clients see the
 * final "not leader" and reconnect elsewhere, and open streams never hold the graceful
 * shutdown up.
 */
public final class LeaderEventStreams implements SmartLifecycle {

	private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

	private static final int MAX_QUEUED = 1024;

	private final Set<Stream> open = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	SseEmitter open(Election election) {
		Stream stream = new Stream(election);
		this.open.add(stream);
		stream.start(() -> this.open.remove(stream));
		return stream.emitter;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.open.forEach(Stream::finish);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * After the kit's drain (the highest phase), before the web server's graceful
	 * shutdown.
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 512;
	}

	private static final class Stream {

		private final Election election;

		private final SseEmitter emitter = new SseEmitter(0L);

		private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(MAX_QUEUED + 1);

		private final Object finished = new Object();

		private Stream(Election election) {
			this.election = election;
		}

		void start(Runnable onClose) {
			Runnable unlisten = this.election.listen((state) -> {
				if (!this.queue.offer(state)) {
					this.emitter.completeWithError(new IllegalStateException("client too slow"));
				}
			});
			Thread writer = Thread.ofVirtual().name("leader-events-" + this.election.name()).start(() -> {
				try {
					write();
					this.emitter.complete();
				}
				catch (IOException | IllegalStateException ex) {
					this.emitter.completeWithError(ex);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					unlisten.run();
					onClose.run();
				}
			});
			this.emitter.onCompletion(writer::interrupt);
			this.emitter.onError((ex) -> writer.interrupt());
			this.emitter.onTimeout(writer::interrupt);
		}

		private void write() throws IOException, InterruptedException {
			while (true) {
				Object next = this.queue.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
				if (next == null) {
					this.emitter.send(SseEmitter.event().comment("keep-alive"));
				}
				else if (next == this.finished) {
					return;
				}
				else {
					LeaderState state = (LeaderState) next;
					this.emitter.send(SseEmitter.event()
						.name("leader")
						.id(Long.toString(state.fencingToken()))
						.data(state, MediaType.APPLICATION_JSON));
				}
			}
		}

		/** Ends the stream after the changes already queued. */
		void finish() {
			this.queue.offer(this.finished);
		}

	}

}
