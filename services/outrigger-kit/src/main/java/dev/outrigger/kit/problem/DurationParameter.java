package dev.outrigger.kit.problem;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;

/**
 * A duration request parameter with bounds, such as {@code ?deadline=30s}: a missing
 * value takes the default, anything unparsable or out of bounds is a 400 problem that
 * says what to send.
 *
 * @param name the parameter's name, as the caller wrote it
 * @param min the shortest duration allowed
 * @param max the longest duration allowed
 * @param fallback the value when the parameter is absent
 */
public record DurationParameter(String name, Duration min, Duration max, Duration fallback) {

	/** The parameter's value, or the fallback when {@code value} is null or blank. */
	public Duration parse(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return this.fallback;
		}
		try {
			Duration parsed = DurationStyle.detectAndParse(value.strip());
			if (parsed.compareTo(this.min) >= 0 && parsed.compareTo(this.max) <= 0) {
				return parsed;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw new BadRequestException("Invalid " + this.name + " '" + value + "': give a duration from "
				+ format(this.min) + " to " + format(this.max) + ", such as " + format(this.fallback) + ".");
	}

	private static String format(Duration duration) {
		long millis = duration.toMillis();
		if (millis != 0 && millis % 60_000 == 0) {
			return (millis / 60_000) + "m";
		}
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

}
