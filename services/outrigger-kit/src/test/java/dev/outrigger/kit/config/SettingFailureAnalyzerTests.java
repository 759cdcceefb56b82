package dev.outrigger.kit.config;

import java.time.Duration;
import java.util.Map;

import dev.outrigger.kit.KitProperties;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Binds real environment variables through Boot's binder and checks the one-line
 * analysis.
 */
class SettingFailureAnalyzerTests {

	private final SettingFailureAnalyzer analyzer = new SettingFailureAnalyzer();

	@Test
	void aBadDurationNamesTheVariableTheValueAndTheFormat() {
		FailureAnalysis analysis = analyze(Map.of("OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT", "banana"), "outrigger",
				KitProperties.class);
		assertThat(analysis.getDescription()).isEqualTo("Invalid configuration: OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT="
				+ "\"banana\" is not allowed: expected a duration such as 500ms, 30s, 5m or 1h.");
		assertThat(analysis.getAction()).contains("OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT");
	}

	@Test
	void aBadEnumListsTheAllowedValues() {
		FailureAnalysis analysis = analyze(Map.of("OUTRIGGER_LOG_FORMAT", "xml"), "outrigger", KitProperties.class);
		assertThat(analysis.getDescription()).contains("OUTRIGGER_LOG_FORMAT=\"xml\"")
			.contains("expected one of plain, json");
	}

	@Test
	void anOutOfRangeValueRejectedByTheRecordNamesItsVariable() {
		FailureAnalysis analysis = analyze(Map.of("OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT", "0s"), "outrigger",
				KitProperties.class);
		assertThat(analysis.getDescription()).contains("OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT")
			.contains("more than 0 and at most 10m");
	}

	@Test
	void aValidationFailureNamesTheVariableAndTheConstraint() {
		FailureAnalysis analysis = analyze(Map.of("OUTRIGGER_SAMPLE_MAX_ITEMS", "-3"), "outrigger.sample",
				SampleProperties.class);
		assertThat(analysis.getDescription())
			.isEqualTo("Invalid configuration: OUTRIGGER_SAMPLE_MAX_ITEMS=\"-3\" is not allowed: it must be greater "
					+ "than or equal to 1.");
	}

	@Test
	void aBlankValueIsReported() {
		FailureAnalysis analysis = analyze(Map.of("OUTRIGGER_SAMPLE_NAME", " "), "outrigger.sample",
				SampleProperties.class);
		assertThat(analysis.getDescription()).contains("OUTRIGGER_SAMPLE_NAME=\" \"").contains("must not be blank");
	}

	@Test
	void otherPropertiesAreLeftToBoot() {
		Binder binder = binder(Map.of("SERVER_PORT", "eighty"));
		BindException failure = catchThrowableOfType(BindException.class,
				() -> binder.bind("server.port", Bindable.of(Integer.class)));
		assertThat(this.analyzer.analyze(failure)).isNull();
	}

	@Test
	void anInvalidSettingThrownAnywhereIsReported() {
		FailureAnalysis analysis = this.analyzer.analyze(
				new IllegalStateException("wrapped", new InvalidSettingException("OUTRIGGER_X", "y", "expected z")));
		assertThat(analysis.getDescription())
			.isEqualTo("Invalid configuration: OUTRIGGER_X=\"y\" is not allowed: expected z.");
	}

	@Test
	void allowedValuesAreDescribedPerType() {
		assertThat(SettingFailureAnalyzer.allowedValuesOf(Boolean.class)).isEqualTo("expected true or false");
		assertThat(SettingFailureAnalyzer.allowedValuesOf(int.class)).isEqualTo("expected a whole number");
		assertThat(SettingFailureAnalyzer.allowedValuesOf(Duration.class)).contains("30s");
	}

	private FailureAnalysis analyze(Map<String, Object> environment, String prefix, Class<?> type) {
		Binder binder = binder(environment);
		LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
		validator.afterPropertiesSet();
		BindException failure = catchThrowableOfType(BindException.class,
				() -> binder.bindOrCreate(prefix, Bindable.of(type), new ValidationBindHandler(validator)));
		assertThat(failure).as("binding should fail").isNotNull();
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis).isNotNull();
		return analysis;
	}

	private static Binder binder(Map<String, Object> environment) {
		StandardEnvironment standard = new StandardEnvironment();
		standard.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
		ConfigurationPropertySources.attach(standard);
		return Binder.get(standard);
	}

	record SampleProperties(@DefaultValue("sample") @NotBlank String name, @DefaultValue("10") @Min(1) int maxItems) {
	}

}
