package dev.outrigger.kit.config;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class KitEnvironmentPostProcessorTests {

	private final KitEnvironmentPostProcessor postProcessor = new KitEnvironmentPostProcessor();

	@Test
	void appliesTheContractDefaultsBelowEverythingElse() {
		StandardEnvironment environment = environment(Map.of("spring.main.banner-mode", "console"));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.endpoint.health.probes.add-additional-paths")).isEqualTo("true");
		assertThat(environment.getProperty("management.endpoint.health.group.readiness.include"))
			.isEqualTo("readinessState,lifecycle");
		assertThat(environment.getProperty("spring.main.banner-mode")).isEqualTo("console");
	}

	@Test
	void jsonLogFormatSwitchesToStructuredLogs() {
		StandardEnvironment environment = environment(Map.of("outrigger.log.format", "JSON"));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("ecs");
	}

	@Test
	void plainLogFormatKeepsPlainLogs() {
		StandardEnvironment environment = environment(Map.of("outrigger.log.format", "plain"));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("logging.structured.format.console")).isNull();
	}

	@Test
	void httpPortOverridesTheServerPort() {
		StandardEnvironment environment = environment(Map.of("outrigger.http.port", "9090", "server.port", "4048"));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("server.port")).isEqualTo("9090");
	}

	@Test
	void aMalformedHttpPortIsLeftForTheKitPropertiesToReject() {
		StandardEnvironment environment = environment(Map.of("outrigger.http.port", "http", "server.port", "4048"));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("server.port")).isEqualTo("4048");
	}

	private static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

}
