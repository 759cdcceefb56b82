package dev.outrigger.kit.lifecycle;

/**
 * A participant's answer to "may this container take traffic?".
 *
 * @param ready whether the participant is ready
 * @param detail why, in words an operator can act on
 */
public record Readiness(boolean ready, String detail) {

	public static Readiness ready(String detail) {
		return new Readiness(true, detail);
	}

	public static Readiness notReady(String detail) {
		return new Readiness(false, detail);
	}

}
