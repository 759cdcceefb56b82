package dev.outrigger.kafka;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class KafkaClientSettingsTests {

	private final KafkaClientSettings settings = new KafkaClientSettings("k1:9092,k2:9092",
			"outrigger-work-agent-pod-1", Map.of("security.protocol", "SASL_SSL", "enable.metrics.push", "true"));

	@Test
	void everyClientNamesTheContainerAndItsPurposeAndPushesNoMetrics() {
		assertThat(new KafkaClientSettings("k:9092", "outrigger-election-pod-1").admin("admin"))
			.containsExactlyInAnyOrderEntriesOf(Map.of("bootstrap.servers", "k:9092", "client.id",
					"outrigger-election-pod-1-admin", "enable.metrics.push", false));
	}

	@Test
	void consumersCreateNoTopics() {
		assertThat(new KafkaClientSettings("k:9092", "i").consumer("reader", Map.of()))
			.containsEntry("allow.auto.create.topics", false)
			.containsEntry("enable.metrics.push", false);
		assertThat(new KafkaClientSettings("k:9092", "i").producer("writer", Map.of()))
			.doesNotContainKey("allow.auto.create.topics");
	}

	@Test
	void patternSettingsComeAfterTheCommonOnes() {
		assertThat(new KafkaClientSettings("k:9092", "i").consumer("reader",
				Map.of("allow.auto.create.topics", true, "fetch.max.wait.ms", 100)))
			.containsEntry("allow.auto.create.topics", true)
			.containsEntry("fetch.max.wait.ms", 100);
	}

	@Test
	void thePassthroughWinsOverEverythingOfOurs() {
		Map<String, Object> producer = this.settings.producer("producer",
				Map.of("security.protocol", "PLAINTEXT", "acks", "all"));
		assertThat(producer).containsEntry("security.protocol", "SASL_SSL")
			.containsEntry("enable.metrics.push", "true")
			.containsEntry("acks", "all")
			.containsEntry("client.id", "outrigger-work-agent-pod-1-producer");
	}

	@Test
	void eachCallGivesANewMapTheCallerMayChange() {
		Map<String, Object> first = this.settings.admin("admin");
		first.put("retries", 1);
		assertThat(this.settings.admin("admin")).doesNotContainKey("retries");
	}

	@Test
	void toStringNamesThePassthroughKeysButNotTheirValues() {
		KafkaClientSettings secret = new KafkaClientSettings("k:9092", "i",
				Map.of("sasl.jaas.config", "PlainLoginModule required username=\"u\" password=\"hunter2\";"));
		assertThat(secret.toString()).contains("sasl.jaas.config").doesNotContain("hunter2");
	}

	@Test
	void bootstrapServersInstanceAndPurposeAreRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> new KafkaClientSettings(" ", "i"));
		assertThatIllegalArgumentException().isThrownBy(() -> new KafkaClientSettings("k:9092", ""));
		assertThatIllegalArgumentException().isThrownBy(() -> this.settings.admin(""));
	}

	/**
	 * The rule the modules' READMEs give: drop the prefix, lowercase, each {@code _} a
	 * dot.
	 */
	@Test
	void anEnvironmentVariableBindsToTheDottedKafkaSettingName() {
		MutablePropertySources sources = new MutablePropertySources();
		sources
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("OUTRIGGER_ELECTION_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", "a b=\"c\";",
							"OUTRIGGER_ELECTION_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_SSL",
							"OUTRIGGER_ELECTION_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/Trust.p12")));
		Map<String, String> bound = new Binder(ConfigurationPropertySources.from(sources))
			.bind("outrigger.election.kafka.properties", Bindable.mapOf(String.class, String.class))
			.get();
		assertThat(bound).containsExactlyInAnyOrderEntriesOf(Map.of("sasl.jaas.config", "a b=\"c\";",
				"security.protocol", "SASL_SSL", "ssl.truststore.location", "/etc/kafka/Trust.p12"));
	}

}
