package dev.outrigger.kit.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Checks of settings that every pattern repeats, so a bad value is reported the same way
 * everywhere: an {@link InvalidSettingException} naming the environment variable, the
 * value and what is allowed. Durations are shown as operators write them ({@code 1500ms},
 * {@code 30s}).
 */
public final class Settings {

	private Settings() {
	}

	/**
	 * Requires a duration more than 0.
	 * @param variable the environment variable, e.g. {@code OUTRIGGER_WORK_ITEM_TIMEOUT}
	 * @param value its bound value
	 * @return {@code value}
	 */
	public static Duration requirePositive(String variable, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidSettingException(variable, format(value), "expected a duration more than 0, such as 5s");
		}
		return value;
	}

	/** Requires {@code min <= value <= max}. */
	public static Duration requireBetween(String variable, Duration value, Duration min, Duration max) {
		if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
			throw new InvalidSettingException(variable, format(value),
					"expected " + format(min) + " to " + format(max));
		}
		return value;
	}

	/** Requires a number of 1 or more. */
	public static int requirePositive(String variable, int value) {
		return requireAtLeast(variable, value, 1);
	}

	/** Requires {@code value >= min}. */
	public static int requireAtLeast(String variable, int value, int min) {
		if (value < min) {
			throw new InvalidSettingException(variable, Integer.toString(value), "expected at least " + min);
		}
		return value;
	}

	/** Requires {@code min <= value <= max}. */
	public static int requireBetween(String variable, int value, int min, int max) {
		if (value < min || value > max) {
			throw new InvalidSettingException(variable, Integer.toString(value), "expected " + min + " to " + max);
		}
		return value;
	}

	/** Requires text that is not blank and at most {@code maxLength} characters long. */
	public static String requireText(String variable, String value, int maxLength) {
		if (value.isBlank() || value.length() > maxLength) {
			throw new InvalidSettingException(variable, value,
					"expected text that is not blank, at most " + maxLength + " characters");
		}
		return value;
	}

	/**
	 * Parses a setting with a parser that rejects bad input with an
	 * {@link IllegalArgumentException} (or a {@link DateTimeException}); the parser's
	 * message becomes what the operator reads after the variable's name, so it should say
	 * what is allowed.
	 * @param variable the environment variable
	 * @param value its value ({@code null} is passed to the parser and reported as empty)
	 * @param parser reads the value
	 * @return what the parser returned
	 */
	public static <T> T parse(String variable, @Nullable String value, Function<@Nullable String, T> parser) {
		try {
			return parser.apply(value);
		}
		catch (IllegalArgumentException | DateTimeException ex) {
			String reason = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
			throw new InvalidSettingException(variable, (value != null) ? value : "", reason);
		}
	}

	/**
	 * A duration as an operator writes it: {@code 30s} when whole seconds, else
	 * {@code 1500ms}.
	 */
	public static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

}
