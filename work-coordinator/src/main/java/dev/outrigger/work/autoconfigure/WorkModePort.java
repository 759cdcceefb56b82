package dev.outrigger.work.autoconfigure;

import java.util.Locale;
import java.util.Map;

import dev.outrigger.work.WorkMode;
import dev.outrigger.work.WorkProperties;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives each mode its own default port (coordinator 4041, agent 4042) so a coordinator
 * and an agent can share a pod or a host without settings. {@code OUTRIGGER_HTTP_PORT}
 * still wins; a bad mode is left for {@link WorkProperties} to reject in one line.
 */
public class WorkModePort implements EnvironmentPostProcessor, Ordered {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String mode = environment.getProperty("outrigger.work.mode", "coordinator").strip().toUpperCase(Locale.ROOT);
		for (WorkMode candidate : WorkMode.values()) {
			if (candidate.name().equals(mode)) {
				environment.getPropertySources()
					.addLast(new MapPropertySource("outriggerWorkModePort",
							Map.of("server.port", candidate.defaultPort())));
			}
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
