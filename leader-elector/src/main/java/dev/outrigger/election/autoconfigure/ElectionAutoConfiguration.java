package dev.outrigger.election.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
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
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Wires the leader-elector: the elections on the chosen backend, their metrics, the webhook, and
 * the election state in {@code /actuator/info}. Campaigns start once the application is ready.
 */
@AutoConfiguration
@EnableConfigurationProperties(ElectionProperties.class)
@Import({ KubernetesBackendConfiguration.class, KafkaBackendConfiguration.class, JdbcBackendConfiguration.class,
		StandaloneBackendConfiguration.class })
public final class ElectionAutoConfiguration {

	ElectionAutoConfiguration() {
	}

	@Bean
	Elections elections(ElectionBackend backend, ElectionProperties properties) {
		String self = (properties.id() != null && !properties.id().isBlank()) ? properties.id() : hostname();
		return new Elections(backend, properties.names(), self, Clock.systemUTC());
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> campaignWhenReady(Elections elections) {
		return (event) -> elections.campaign();
	}

	@Bean
	LeaderEventStreams leaderEventStreams() {
		return new LeaderEventStreams();
	}

	@Bean
	ElectionMetrics electionMetrics(Elections elections) {
		return new ElectionMetrics(elections);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "outrigger.election.notify-url")
	LeaderWebhook leaderWebhook(ElectionProperties properties, Elections elections, JsonMapper json) {
		LeaderWebhook webhook = new LeaderWebhook(properties.notifyUrl(), json,
				new LeaderWebhook.Backoff(Duration.ofMillis(250), Duration.ofSeconds(30)));
		elections.all().forEach(webhook::watch);
		return webhook;
	}

	@Bean
	InfoContributor electionInfo(Elections elections) {
		return (builder) -> {
			Map<String, Object> states = new LinkedHashMap<>();
			for (Election election : elections.all()) {
				states.put(election.name(), election.state());
			}
			builder.withDetail("state", Map.of("backend", elections.backendName(), "self", elections.self(),
					"elections", states));
		};
	}

	private static String hostname() {
		String fromEnvironment = System.getenv("HOSTNAME");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return fromEnvironment;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "candidate-" + ProcessHandle.current().pid();
		}
	}

}
