package dev.outrigger.scatter.merge;

/**
 * A route's merge settings cannot work; the caller names where the setting came from.
 */
public class InvalidMergeSettingException extends IllegalArgumentException {

	private final String setting;

	private final String value;

	private final String allowed;

	public InvalidMergeSettingException(String setting, String value, String allowed) {
		super(setting + "=\"" + value + "\": " + allowed);
		this.setting = setting;
		this.value = value;
		this.allowed = allowed;
	}

	/** The setting in kebab case, such as {@code merge-field}. */
	public String setting() {
		return this.setting;
	}

	public String value() {
		return this.value;
	}

	public String allowed() {
		return this.allowed;
	}

}
