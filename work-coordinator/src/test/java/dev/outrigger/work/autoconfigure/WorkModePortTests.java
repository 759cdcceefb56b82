package dev.outrigger.work.autoconfigure;

import java.util.Map;

import dev.outrigger.testsupport.spring.SpringFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkModePort}: each mode's default port, below anything the operator sets.
 */
class WorkModePortTests {

	@Test
	void eachModeHasItsOwnDefaultPort() {
		assertThat(portFor(Map.of())).isEqualTo("4041");
		assertThat(portFor(Map.of("outrigger.work.mode", "agent"))).isEqualTo("4042");
	}

	@Test
	void anExplicitPortWins() {
		assertThat(portFor(Map.of("outrigger.work.mode", "agent", "server.port", "9000"))).isEqualTo("9000");
	}

	@Test
	void aBadModeIsLeftForTheSettingsToReject() {
		assertThat(portFor(Map.of("outrigger.work.mode", "sideways"))).isNull();
	}

	@Test
	void isRegisteredInSpringFactories() {
		assertThat(SpringFactories.registered(EnvironmentPostProcessor.class)).contains(WorkModePort.class.getName());
	}

	private static String portFor(Map<String, Object> settings) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
		new WorkModePort().postProcessEnvironment(environment, new SpringApplication());
		return environment.getProperty("server.port");
	}

}
