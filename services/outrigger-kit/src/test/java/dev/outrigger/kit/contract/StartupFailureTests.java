package dev.outrigger.kit.contract;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A bad environment variable stops the application with one line that names it, not a
 * stack trace. The application reads a real system-environment property source, as in a
 * container.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTests {

	@Test
	void aBadBoundSettingStopsStartWithOneLine(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(Map.of("OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT", "banana")));
		assertOneLine(output, "outrigger: failed to start: Invalid configuration: OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT="
				+ "\"banana\" is not allowed: expected a duration such as 500ms, 30s, 5m or 1h.");
	}

	@Test
	void aBadLogFormatStopsStartWithOneLine(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(Map.of("OUTRIGGER_LOG_FORMAT", "xml")));
		assertOneLine(output, "outrigger: failed to start: Invalid configuration: OUTRIGGER_LOG_FORMAT=\"xml\" is not "
				+ "allowed: expected one of plain, json.");
	}

	@Test
	void aBadPortStopsStartWithOneLine(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(Map.of("OUTRIGGER_HTTP_PORT", "70000")));
		assertOneLine(output, "outrigger: failed to start: Invalid configuration: OUTRIGGER_HTTP_PORT=\"70000\" is not "
				+ "allowed: expected a port number from 1 to 65535.");
	}

	private static void assertOneLine(CapturedOutput output, String expected) {
		List<String> lines = output.getAll().lines().toList();
		assertThat(lines).filteredOn((line) -> line.contains("OUTRIGGER_"))
			.hasSize(1)
			.first()
			.asString()
			.startsWith(expected);
		assertThat(lines).noneMatch((line) -> line.startsWith("\tat ") || line.contains("APPLICATION FAILED TO START")
				|| line.contains("Exception encountered"));
	}

	private static void start(Map<String, Object> environmentVariables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environmentVariables));
		new SpringApplicationBuilder(ContractTestApplication.class).environment(environment)
			.properties("server.port=0", "outrigger.lifecycle.exit-zero-on-sigterm=false")
			.run()
			.close();
	}

}
