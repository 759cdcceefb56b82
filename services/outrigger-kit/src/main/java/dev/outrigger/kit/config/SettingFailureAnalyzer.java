package dev.outrigger.kit.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Turns a bad {@code OUTRIGGER_*} setting into one sentence naming the variable, the bad
 * value and what is allowed. Runs before Boot's own analyzers, and only for Outrigger's
 * settings.
 */
public class SettingFailureAnalyzer implements FailureAnalyzer, Ordered {

	private static final ConfigurationPropertyName OUTRIGGER = ConfigurationPropertyName.of("outrigger");

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		return invalidSetting(failure)
			.map((setting) -> new FailureAnalysis("Invalid configuration: " + setting.getMessage() + ".",
					"Fix " + setting.variable() + " and start the container again.", failure))
			.orElse(null);
	}

	private Optional<InvalidSettingException> invalidSetting(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidSettingException setting) {
				return Optional.of(setting);
			}
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BindValidationException validation) {
				return fromValidation(validation.getValidationErrors());
			}
			if (cause instanceof BindException bind && cause.getCause() != null
					&& !(cause.getCause() instanceof BindValidationException) && bind.getProperty() != null
					&& OUTRIGGER.isAncestorOf(bind.getProperty().getName())) {
				return Optional.of(fromConversion(bind.getProperty(), bind.getTarget().getType().resolve()));
			}
		}
		return Optional.empty();
	}

	private Optional<InvalidSettingException> fromValidation(ValidationErrors errors) {
		if (!OUTRIGGER.isAncestorOf(errors.getName()) && !OUTRIGGER.equals(errors.getName())) {
			return Optional.empty();
		}
		List<ObjectError> all = errors.getAllErrors();
		if (all.isEmpty()) {
			return Optional.empty();
		}
		ObjectError error = all.getFirst();
		if (error instanceof FieldError field) {
			ConfigurationPropertyName name = errors.getName()
				.append(ConfigurationPropertyName.adapt(field.getField(), '.'));
			ConfigurationProperty bound = errors.getBoundProperties()
				.stream()
				.filter((property) -> property.getName().equals(name) || sameIgnoringDashes(property.getName(), name))
				.findFirst()
				.orElse(null);
			String variable = (bound != null) ? EnvironmentVariables.nameOf(bound)
					: EnvironmentVariables.nameOf(dashed(errors.getName(), field.getField()));
			String value = (bound != null) ? String.valueOf(bound.getValue())
					: String.valueOf(field.getRejectedValue());
			return Optional.of(new InvalidSettingException(variable, value, "it " + field.getDefaultMessage()));
		}
		return Optional.of(new InvalidSettingException(EnvironmentVariables.nameOf(errors.getName()), "",
				String.valueOf(error.getDefaultMessage())));
	}

	private static boolean sameIgnoringDashes(ConfigurationPropertyName a, ConfigurationPropertyName b) {
		return a.toString().replace("-", "").equals(b.toString().replace("-", ""));
	}

	private static ConfigurationPropertyName dashed(ConfigurationPropertyName parent, String camelCaseField) {
		return parent.append(camelCaseField.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
	}

	private InvalidSettingException fromConversion(ConfigurationProperty property, @Nullable Class<?> type) {
		return new InvalidSettingException(EnvironmentVariables.nameOf(property), String.valueOf(property.getValue()),
				allowedValuesOf(type));
	}

	static String allowedValuesOf(@Nullable Class<?> type) {
		if (type == null) {
			return "expected a different value";
		}
		if (type.isEnum()) {
			return "expected one of " + Arrays.stream(type.getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
				.collect(Collectors.joining(", "));
		}
		if (type == Duration.class) {
			return "expected a duration such as 500ms, 30s, 5m or 1h";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "expected true or false";
		}
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "expected a whole number";
		}
		if (Number.class.isAssignableFrom(type) || type == double.class) {
			return "expected a number";
		}
		return "expected a value of type " + type.getSimpleName();
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
