package dev.outrigger.work.status;

import org.jspecify.annotations.Nullable;

/**
 * The status store on local disk failed (its directory unusable, the disk full): answers
 * about items are unavailable until it works again.
 */
public class StatusStoreException extends StatusUnavailableException {

	public StatusStoreException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
