package dev.outrigger.kit.config;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Applies the container contract's defaults before anything reads the environment:
 * management endpoints and probes, graceful shutdown, virtual threads, quiet start-up
 * failures (the kit reports them in one line). Also maps the two settings that must act
 * before the application context exists, {@code OUTRIGGER_LOG_FORMAT} and
 * {@code OUTRIGGER_HTTP_PORT}; a bad value of either is left for {@code KitProperties} to
 * reject once logging is set up, so the operator still gets one line.
 */
public class KitEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String DEFAULTS = "outriggerKitDefaults";

	static final String OVERRIDES = "outriggerKitOverrides";

	private static final Map<String, Object> CONTRACT_DEFAULTS = Map.ofEntries(
			Map.entry("management.endpoints.web.exposure.include", "health,info,prometheus"),
			Map.entry("management.endpoint.health.probes.enabled", "true"),
			Map.entry("management.endpoint.health.probes.add-additional-paths", "true"),
			Map.entry("management.endpoint.health.group.liveness.include", "livenessState"),
			Map.entry("management.endpoint.health.group.readiness.include", "readinessState,lifecycle"),
			Map.entry("management.endpoint.health.group.readiness.show-details", "always"),
			Map.entry("management.metrics.tags.pattern", "${outrigger.pattern:unknown}"),
			// admin safety and /actuator/info decide by the caller's own address; on
			// Kubernetes Boot
			// would otherwise take X-Forwarded-For from any private address, so any pod
			// could claim
			// to be loopback
			Map.entry("server.forward-headers-strategy", "none"), Map.entry("server.shutdown", "graceful"),
			Map.entry("server.error.whitelabel.enabled", "false"), Map.entry("spring.threads.virtual.enabled", "true"),
			Map.entry("spring.main.banner-mode", "off"), Map.entry("spring.jmx.enabled", "false"),
			Map.entry("logging.level.org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter", "off"),
			Map.entry("logging.level.org.springframework.boot.autoconfigure.logging.ConditionEvaluationReportLogger",
					"warn"),
			// its "cancelling refresh attempt" warning repeats, as a long line, the
			// failure the kit reports
			Map.entry("logging.level.org.springframework.boot.web.server.servlet.context."
					+ "AnnotationConfigServletWebServerApplicationContext", "error"));

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources().addLast(new MapPropertySource(DEFAULTS, CONTRACT_DEFAULTS));
		Map<String, Object> overrides = new HashMap<>();
		logFormat(environment.getProperty("outrigger.log.format"), overrides);
		httpPort(environment.getProperty("outrigger.http.port"), overrides);
		if (!overrides.isEmpty()) {
			environment.getPropertySources().addFirst(new MapPropertySource(OVERRIDES, overrides));
		}
	}

	private static void logFormat(String format, Map<String, Object> overrides) {
		if (format != null && format.strip().equalsIgnoreCase("json")) {
			overrides.put("logging.structured.format.console", "ecs");
		}
	}

	private static void httpPort(String port, Map<String, Object> overrides) {
		if (port != null && port.strip().matches("\\d{1,5}")) {
			overrides.put("server.port", port.strip());
		}
	}

	@Override
	public int getOrder() {
		// after the config data (application.properties, environment) is in place
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

}
