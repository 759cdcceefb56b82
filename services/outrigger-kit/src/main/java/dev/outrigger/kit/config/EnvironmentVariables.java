package dev.outrigger.kit.config;

import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;

/**
 * Names settings the way operators set them: as environment variables.
 */
public final class EnvironmentVariables {

	private EnvironmentVariables() {
	}

	/**
	 * The environment variable for a property: {@code outrigger.lifecycle.drain-timeout}
	 * is {@code OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT}.
	 */
	public static String nameOf(ConfigurationPropertyName property) {
		return IntStream.range(0, property.getNumberOfElements())
			.mapToObj((index) -> property.getElement(index, Form.DASHED))
			.map((element) -> element.replace('-', '_').toUpperCase(Locale.ROOT))
			.collect(Collectors.joining("_"));
	}

	/**
	 * The variable a bound property came from, or its canonical variable name if it came
	 * from elsewhere.
	 */
	public static String nameOf(ConfigurationProperty property) {
		Origin origin = Origin.from(property);
		while (origin != null) {
			if (origin instanceof SystemEnvironmentOrigin environment) {
				return environment.getProperty();
			}
			origin = origin.getParent();
		}
		return nameOf(property.getName());
	}

}
