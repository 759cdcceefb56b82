package dev.outrigger.kit.config;

/**
 * A setting whose value the container cannot run with. Its message is the one line the
 * operator sees at start-up: the variable, the bad value and what is allowed.
 */
public class InvalidSettingException extends RuntimeException {

	private final String variable;

	private final String value;

	private final String allowed;

	/**
	 * @param variable the environment variable, e.g. {@code OUTRIGGER_LOG_FORMAT}
	 * @param value the value it had
	 * @param allowed what it may be, e.g. "one of plain, json"
	 */
	public InvalidSettingException(String variable, String value, String allowed) {
		super("%s=\"%s\" is not allowed: %s".formatted(variable, value, allowed));
		this.variable = variable;
		this.value = value;
		this.allowed = allowed;
	}

	public String variable() {
		return this.variable;
	}

	public String value() {
		return this.value;
	}

	public String allowed() {
		return this.allowed;
	}

}
