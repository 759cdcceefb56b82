package dev.outrigger.election.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.outrigger.election.Election;
import dev.outrigger.election.ElectionBackend;
import dev.outrigger.election.ElectionMetrics;
import dev.outrigger.election.ElectionProperties;
import dev.outrigger.election.Elections;
import dev.outrigger.election.api.LeaderEventStreams;
import dev.outrigger.election.notify.LeaderWebhook;
import dev.outrigger.kit.Backoff;
import dev.outrigger.kit.InstanceId;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Wires the leader-elector: the elections on the chosen backend, their metrics, the
 * webhook, and the election state in {@code /actuator/info}. Campaigns start once the
 * application is ready.
 */
@AutoConfiguration
@EnableConfigurationProperties(ElectionProperties.class)
@Import({ KubernetesBackendConfiguration.class, KafkaBackendConfiguration.class, JdbcBackendConfiguration.class,
		StandaloneBackendConfiguration.class })
public final class ElectionAutoConfiguration {

	ElectionAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	Elections elections(ElectionBackend backend, ElectionProperties properties, ObjectProvider<InstanceId> instance) {
		String self = (properties.id() != null && !properties.id().isBlank()) ? properties.id()
				: instance.getIfAvailable(InstanceId::detect).value();
		return new Elections(backend, properties.names(), self, Clock.systemUTC());
	}

	// listeners and contributors back off by name: their types are shared with other
	// beans
	@Bean
	@ConditionalOnMissingBean(name = "campaignWhenReady")
	ApplicationListener<ApplicationReadyEvent> campaignWhenReady(Elections elections) {
		return (event) -> elections.campaign();
	}

	@Bean
	@ConditionalOnMissingBean
	LeaderEventStreams leaderEventStreams() {
		return new LeaderEventStreams();
	}

	@Bean
	@ConditionalOnMissingBean
	ElectionMetrics electionMetrics(Elections elections) {
		return new ElectionMetrics(elections);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "outrigger.election.notify-url")
	@ConditionalOnMissingBean
	LeaderWebhook leaderWebhook(ElectionProperties properties, Elections elections, JsonMapper json) {
		LeaderWebhook webhook = new LeaderWebhook(properties.notifyUrl(), json,
				Backoff.doubling(Duration.ofMillis(250), Duration.ofSeconds(30)));
		elections.all().forEach(webhook::watch);
		return webhook;
	}

	@Bean
	@ConditionalOnMissingBean(name = "electionInfo")
	InfoContributor electionInfo(Elections elections) {
		return (builder) -> {
			Map<String, Object> states = new LinkedHashMap<>();
			for (Election election : elections.all()) {
				states.put(election.name(), election.state());
			}
			builder.withDetail("state",
					Map.of("backend", elections.backendName(), "self", elections.self(), "elections", states));
		};
	}

}
