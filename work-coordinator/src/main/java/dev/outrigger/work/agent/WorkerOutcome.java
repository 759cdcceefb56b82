package dev.outrigger.work.agent;

import org.jspecify.annotations.Nullable;

/**
 * What one worker call came to.
 */
public sealed interface WorkerOutcome {

	/** The worker answered 2xx; its body is the item's result. */
	record Succeeded(String body, @Nullable String contentType) implements WorkerOutcome {

	}

	/** Worth trying again: 5xx, 408, 429, a timeout, the worker not reachable. */
	record Retryable(String error) implements WorkerOutcome {

	}

	/** Will never work: any other 4xx. The item is dead at once. */
	record Fatal(String error) implements WorkerOutcome {

	}

}
