package dev.outrigger.ambassador.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.outrigger.kit.config.InvalidSettingException;
import dev.outrigger.testsupport.spring.SpringFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Timeout(60)
class NutcrackerConfigFileTests {

	private static final String NUTCRACKER_YML = """
			alpha:
			  listen: 127.0.0.1:22121
			  hash: fnv1a_64
			  hash_tag: "{}"
			  distribution: ketama
			  auto_eject_hosts: true
			  redis: true
			  redis_auth: s3cret
			  server_retry_timeout: 2000
			  server_failure_limit: 3
			  timeout: 400
			  servers:
			   - 127.0.0.1:6379:1 one
			   - 127.0.0.1:6380:2 two
			beta:
			  listen: 127.0.0.1:22122
			  hash: md5
			  servers:
			   - 127.0.0.1:6381:1
			""";

	@TempDir
	Path directory;

	@Test
	void theFirstPoolBecomesTheAmbassadorsSettings() throws Exception {
		StandardEnvironment environment = environment(Map.of("outrigger.ambassador.config", write()));
		new NutcrackerConfigFile().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("outrigger.ambassador.shards"))
			.isEqualTo("127.0.0.1:6379:1 one,127.0.0.1:6380:2 two");
		assertThat(environment.getProperty("outrigger.ambassador.listen")).isEqualTo("127.0.0.1:22121");
		assertThat(environment.getProperty("outrigger.ambassador.hash-tag")).isEqualTo("{}");
		assertThat(environment.getProperty("outrigger.ambassador.password")).isEqualTo("s3cret");
		assertThat(environment.getProperty("outrigger.ambassador.auto-eject")).isEqualTo("true");
		assertThat(environment.getProperty("outrigger.ambassador.server-failure-limit")).isEqualTo("3");
		assertThat(environment.getProperty("outrigger.ambassador.timeout")).isEqualTo("400ms");
	}

	@Test
	void aNamedPoolIsChosenAndEnvironmentVariablesWin() throws Exception {
		StandardEnvironment environment = environment(Map.of("outrigger.ambassador.config", write(),
				"outrigger.ambassador.pool", "beta", "outrigger.ambassador.hash", "murmur"));
		new NutcrackerConfigFile().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("outrigger.ambassador.shards")).isEqualTo("127.0.0.1:6381:1");
		assertThat(environment.getProperty("outrigger.ambassador.hash")).isEqualTo("murmur");
	}

	@Test
	void aMissingFileOrPoolIsRejectedNamingTheVariable() throws Exception {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new NutcrackerConfigFile().postProcessEnvironment(
					environment(Map.of("outrigger.ambassador.config", "/nope/nutcracker.yml")),
					new SpringApplication()))
			.satisfies((ex) -> assertThat(ex.variable()).isEqualTo("OUTRIGGER_AMBASSADOR_CONFIG"));
		String file = write();
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new NutcrackerConfigFile().postProcessEnvironment(
					environment(Map.of("outrigger.ambassador.config", file, "outrigger.ambassador.pool", "gamma")),
					new SpringApplication()))
			.withMessageContaining("[alpha, beta]");
	}

	@Test
	void isRegisteredInSpringFactories() {
		assertThat(SpringFactories.registered(EnvironmentPostProcessor.class))
			.contains(NutcrackerConfigFile.class.getName());
	}

	private String write() throws Exception {
		Path file = this.directory.resolve("nutcracker.yml");
		Files.writeString(file, NUTCRACKER_YML);
		return file.toString();
	}

	private static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

}
