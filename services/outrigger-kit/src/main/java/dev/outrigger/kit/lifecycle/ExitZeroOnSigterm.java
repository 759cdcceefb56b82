package dev.outrigger.kit.lifecycle;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import sun.misc.Signal;

/**
 * Makes SIGTERM a clean exit. The JVM's own handler runs the shutdown hooks (and so the
 * drain) but exits 143, which orchestrators report as a failure; this handler runs the
 * same hooks through {@code System.exit(0)}. An unclean end (a hook that fails, a second
 * signal, SIGKILL) still exits non-zero.
 */
public final class ExitZeroOnSigterm {

	private static final Log logger = LogFactory.getLog(ExitZeroOnSigterm.class);

	private ExitZeroOnSigterm() {
	}

	public static void install() {
		try {
			Signal.handle(new Signal("TERM"), (signal) -> {
				logger.info("Received SIGTERM: draining, then exiting");
				System.exit(0);
			});
		}
		catch (IllegalArgumentException | UnsupportedOperationException ex) {
			logger.warn("Cannot handle SIGTERM here (" + ex.getMessage() + "); the JVM's default applies");
		}
	}

}
