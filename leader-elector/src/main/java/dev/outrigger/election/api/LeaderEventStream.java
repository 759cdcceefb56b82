package dev.outrigger.election.api;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.outrigger.election.Election;
import dev.outrigger.election.LeaderState;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One SSE client. Changes are queued by the election's listener (which must never block) and
 * written by this stream's own virtual thread, so a slow client delays only itself. A comment
 * line every 15 s finds clients that went away.
 */
final class LeaderEventStream {

	private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

	private static final int MAX_QUEUED = 1024;

	private LeaderEventStream() {
	}

	static SseEmitter open(Election election) {
		SseEmitter emitter = new SseEmitter(0L);
		BlockingQueue<LeaderState> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
		Runnable unlisten = election.listen((state) -> {
			if (!queue.offer(state)) {
				emitter.completeWithError(new IllegalStateException("client too slow"));
			}
		});
		Thread writer = Thread.ofVirtual().name("leader-events-" + election.name()).start(() -> {
			try {
				while (!Thread.currentThread().isInterrupted()) {
					LeaderState state = queue.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
					if (state == null) {
						emitter.send(SseEmitter.event().comment("keep-alive"));
					}
					else {
						emitter.send(SseEmitter.event()
							.name("leader")
							.id(Long.toString(state.fencingToken()))
							.data(state, MediaType.APPLICATION_JSON));
					}
				}
			}
			catch (IOException | IllegalStateException ex) {
				emitter.completeWithError(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				unlisten.run();
			}
		});
		emitter.onCompletion(() -> {
			unlisten.run();
			writer.interrupt();
		});
		emitter.onError((ex) -> writer.interrupt());
		emitter.onTimeout(writer::interrupt);
		return emitter;
	}

}
