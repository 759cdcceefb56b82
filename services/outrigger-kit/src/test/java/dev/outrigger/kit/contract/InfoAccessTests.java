package dev.outrigger.kit.contract;

import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.web.servlet.MockMvc;

import static dev.outrigger.kit.contract.AdminSafetyTests.from;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code /actuator/info} shows the effective configuration only to admin callers, masked;
 * every caller sees the pattern, the version and the lifecycle state.
 */
class InfoAccessTests {

	private static final String NO_EXIT = "outrigger.lifecycle.exit-zero-on-sigterm=false";

	private static final String JDBC_URL = "outrigger.probe.url=jdbc:postgresql://db/app?user=app&password=hunter2";

	private static final String REDIS_URL = "outrigger.probe.shards=redis://app:p@ss@10.0.0.1:6379";

	private static final String JAAS = "outrigger.probe.kafka.properties[sasl.jaas.config]="
			+ "PlainLoginModule required password=\"kafka-pw\";";

	private static final String KEYSTORE_PASSWORD = "outrigger.probe.kafka.properties[ssl.keystore.password]=changeit";

	private static final String PROTOCOL = "outrigger.probe.kafka.properties[security.protocol]=SASL_SSL";

	@Nested
	@SpringBootTest(classes = { ContractTestApplication.class, ProbeConfiguration.class },
			properties = { "outrigger.admin.token=t0ken-xyz", NO_EXIT, JDBC_URL, REDIS_URL, JAAS, KEYSTORE_PASSWORD,
					PROTOCOL })
	@AutoConfigureMockMvc
	class WithAToken {

		@Autowired
		private MockMvc mvc;

		@Test
		void aCallerWithoutTheTokenSeesNoConfigurationEvenFromLoopback() throws Exception {
			this.mvc.perform(get("/actuator/info").with(from("127.0.0.1")))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.pattern").exists())
				.andExpect(jsonPath("$.version").exists())
				.andExpect(jsonPath("$.lifecycle.state").value("RUNNING"))
				.andExpect(jsonPath("$.config").doesNotExist());
		}

		@Test
		void aCallerWithAWrongTokenSeesNoConfiguration() throws Exception {
			this.mvc.perform(get("/actuator/info").header("Authorization", "Bearer t0ken-xy"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.lifecycle.state").value("RUNNING"))
				.andExpect(jsonPath("$.config").doesNotExist());
			this.mvc.perform(get("/actuator/info").header("Authorization", "Basic dDBrZW4teHl6"))
				.andExpect(jsonPath("$.config").doesNotExist());
		}

		@Test
		void anAdminSeesTheConfigurationMasked() throws Exception {
			this.mvc
				.perform(get("/actuator/info").with(from("10.20.30.40")).header("Authorization", "Bearer t0ken-xyz"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.config.outrigger.admin.token").value("******"))
				.andExpect(jsonPath("$.config['outrigger.probe'].url")
					.value("jdbc:postgresql://db/app?user=app&password=******"))
				.andExpect(jsonPath("$.config['outrigger.probe'].shards").value("redis://app:******@10.0.0.1:6379"))
				.andExpect(jsonPath("$.config['outrigger.probe'].kafka.properties['sasl.jaas.config']").value("******"))
				.andExpect(jsonPath("$.config['outrigger.probe'].kafka.properties['ssl.keystore.password']")
					.value("******"))
				.andExpect(jsonPath("$.config['outrigger.probe'].kafka.properties['security.protocol']")
					.value("SASL_SSL"));
		}

	}

	@Nested
	@SpringBootTest(classes = { ContractTestApplication.class, ProbeConfiguration.class },
			properties = { NO_EXIT, JDBC_URL, REDIS_URL, JAAS, KEYSTORE_PASSWORD, PROTOCOL })
	@AutoConfigureMockMvc
	class WithoutAToken {

		@Autowired
		private MockMvc mvc;

		@Test
		void aLoopbackCallerSeesTheConfigurationMasked() throws Exception {
			this.mvc.perform(get("/actuator/info").with(from("::1")))
				.andExpect(jsonPath("$.config['outrigger.probe'].url")
					.value("jdbc:postgresql://db/app?user=app&password=******"));
		}

		@Test
		void aRemoteCallerSeesNoConfiguration() throws Exception {
			this.mvc.perform(get("/actuator/info").with(from("10.20.30.40")))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.pattern").exists())
				.andExpect(jsonPath("$.config").doesNotExist());
		}

	}

	/**
	 * A pattern's settings with a JDBC URL, a Redis URL and a Kafka passthrough, as bound
	 * from {@code OUTRIGGER_PROBE_*}.
	 */
	@ConfigurationProperties("outrigger.probe")
	record ProbeProperties(String url, String shards, Kafka kafka) {

		record Kafka(Map<String, String> properties) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ProbeProperties.class)
	static class ProbeConfiguration {

	}

}
