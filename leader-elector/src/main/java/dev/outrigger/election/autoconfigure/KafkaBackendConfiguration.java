package dev.outrigger.election.autoconfigure;

import dev.outrigger.election.ElectionBackend;
import dev.outrigger.election.ElectionProperties;
import dev.outrigger.election.ElectionProperties.Backend;
import dev.outrigger.election.kafka.KafkaElectionBackend;
import dev.outrigger.kafka.KafkaClientSettings;
import dev.outrigger.kit.config.InvalidSettingException;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnElectionBackend(Backend.KAFKA)
final class KafkaBackendConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ElectionBackend kafkaElectionBackend(ElectionProperties properties) {
		ElectionProperties.Kafka kafka = properties.kafka();
		if (kafka.bootstrapServers() == null || kafka.bootstrapServers().isBlank()) {
			throw new InvalidSettingException("OUTRIGGER_ELECTION_KAFKA_BOOTSTRAP_SERVERS", "",
					"expected host:port[,host:port…] of the Kafka brokers when OUTRIGGER_ELECTION_BACKEND=kafka");
		}
		KafkaClientSettings clients = new KafkaClientSettings(kafka.bootstrapServers(),
				KafkaElectionBackend.CLIENT_INSTANCE, kafka.properties());
		return new KafkaElectionBackend(clients, kafka.topicPrefix(), kafka.replicationFactor(), properties.timings());
	}

}
