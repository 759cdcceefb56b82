package dev.outrigger.work.autoconfigure;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

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
	void isRegisteredInSpringFactories() throws IOException {
		List<String> registered = new ArrayList<>();
		Enumeration<URL> files = getClass().getClassLoader().getResources("META-INF/spring.factories");
		while (files.hasMoreElements()) {
			String names = PropertiesLoaderUtils.loadProperties(new UrlResource(files.nextElement()))
				.getProperty(EnvironmentPostProcessor.class.getName(), "");
			registered.addAll(Arrays.stream(names.split(",")).map(String::trim).toList());
		}
		assertThat(registered).contains(WorkModePort.class.getName());
	}

	private static String portFor(Map<String, Object> settings) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
		new WorkModePort().postProcessEnvironment(environment, new SpringApplication());
		return environment.getProperty("server.port");
	}

}
