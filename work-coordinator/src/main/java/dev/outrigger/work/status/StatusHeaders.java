package dev.outrigger.work.status;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The facts of a status snapshot that readers filter and count on, copied into record
 * headers, so a reader that wants few snapshots (the callback consumer: final ones with a
 * callback URL) skips the rest, and a coordinator's view keeps its counts, without
 * parsing their JSON. The JSON stays the whole truth; a record without these headers
 * (from an older writer) is simply parsed.
 */
public final class StatusHeaders {

	static final String STATE = "outrigger-state";

	static final String GENERATION = "outrigger-generation";

	static final String CALLBACK = "outrigger-callback";

	static final String QUEUE = "outrigger-queue";

	static final String KEYED = "outrigger-keyed";

	private static final byte[] YES = { '1' };

	private StatusHeaders() {
	}

	static Headers of(ItemStatus status) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(STATE, status.state().name().getBytes(StandardCharsets.US_ASCII));
		headers.add(GENERATION, Integer.toString(status.generation()).getBytes(StandardCharsets.US_ASCII));
		headers.add(QUEUE, status.queue().getBytes(StandardCharsets.UTF_8));
		if (status.callbackUrl() != null) {
			headers.add(CALLBACK, YES);
		}
		if (status.idempotencyKey() != null) {
			headers.add(KEYED, YES);
		}
		return headers;
	}

	/**
	 * Whether the snapshot in a record with {@code headers} is final and has a callback
	 * URL; empty when the headers do not say.
	 */
	public static Optional<Boolean> finalWithCallback(Headers headers) {
		return state(headers).map((state) -> state.finished() && headers.lastHeader(CALLBACK) != null);
	}

	/**
	 * The digest of the snapshot in a record with {@code headers}; empty when they do not
	 * say.
	 */
	static Optional<StatusDigest> digest(Headers headers) {
		Header generation = headers.lastHeader(GENERATION);
		if (generation == null) {
			return Optional.empty();
		}
		try {
			int number = Integer.parseInt(new String(generation.value(), StandardCharsets.US_ASCII));
			return state(headers).map((state) -> new StatusDigest(number, state));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

	/**
	 * The queue of the snapshot in a record with {@code headers}; empty when they do not
	 * say.
	 */
	static Optional<String> queue(Headers headers) {
		Header queue = headers.lastHeader(QUEUE);
		return (queue != null) ? Optional.of(new String(queue.value(), StandardCharsets.UTF_8)) : Optional.empty();
	}

	/**
	 * Whether the snapshot in a record with {@code headers} is of an item submitted with
	 * an idempotency key; only meaningful where {@link #digest} says anything.
	 */
	static boolean keyed(Headers headers) {
		return headers.lastHeader(KEYED) != null;
	}

	private static Optional<ItemState> state(Headers headers) {
		Header state = headers.lastHeader(STATE);
		if (state == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(ItemState.valueOf(new String(state.value(), StandardCharsets.US_ASCII)));
		}
		catch (IllegalArgumentException ex) {
			// a state this version does not know: let the JSON decide
			return Optional.empty();
		}
	}

}
