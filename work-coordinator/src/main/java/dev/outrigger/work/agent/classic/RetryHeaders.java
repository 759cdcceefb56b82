package dev.outrigger.work.agent.classic;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * What a record on a retry topic carries besides the item: which attempt it is and when
 * it is due. Both travel as decimal text headers, so an operator can read them with any
 * Kafka tool.
 *
 * @param attempt the attempt number this delivery is
 * @param due when it may run, not before
 */
record RetryHeaders(int attempt, Instant due) {

	static final String ATTEMPT = "outrigger-attempt";

	static final String DUE = "outrigger-due";

	/** A delivery from a queue's items topic: the first attempt, due at once. */
	static final RetryHeaders FIRST = new RetryHeaders(1, Instant.EPOCH);

	/**
	 * Reads the headers of a retry record. A record without them (not written by an
	 * agent) counts as a first attempt that is due: it runs, and attempts are never
	 * skipped.
	 */
	static RetryHeaders read(Headers headers) {
		Long attempt = number(headers.lastHeader(ATTEMPT));
		Long due = number(headers.lastHeader(DUE));
		return new RetryHeaders(
				(attempt != null && attempt >= 1 && attempt <= Integer.MAX_VALUE) ? attempt.intValue() : 1,
				(due != null) ? Instant.ofEpochMilli(due) : Instant.EPOCH);
	}

	/** Replaces any retry headers in {@code headers} with these. */
	void writeTo(Headers headers) {
		headers.remove(ATTEMPT);
		headers.remove(DUE);
		headers.add(ATTEMPT, Integer.toString(this.attempt).getBytes(StandardCharsets.UTF_8));
		headers.add(DUE, Long.toString(this.due.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
	}

	/** How long from {@code now} until this delivery is due; zero when it is. */
	Duration waitFrom(Instant now) {
		return now.isBefore(this.due) ? Duration.between(now, this.due) : Duration.ZERO;
	}

	private static @Nullable Long number(@Nullable Header header) {
		if (header == null || header.value() == null) {
			return null;
		}
		try {
			return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8).strip());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
