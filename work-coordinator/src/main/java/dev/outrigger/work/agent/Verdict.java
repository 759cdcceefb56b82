package dev.outrigger.work.agent;

import java.time.Duration;

/**
 * What the engine must do with a delivery once the {@link ItemRunner} is through with it.
 */
public sealed interface Verdict {

	/**
	 * The item is settled (succeeded, cancelled, or a stale duplicate): acknowledge it.
	 */
	record Done() implements Verdict {

	}

	/** Try again after {@code backoff}; the status already says RETRYING. */
	record Retry(Duration backoff) implements Verdict {

	}

	/**
	 * Dead: write it to the dead-letter topic with {@code reason}, then acknowledge it.
	 */
	record DeadLetter(String reason) implements Verdict {

	}

}
