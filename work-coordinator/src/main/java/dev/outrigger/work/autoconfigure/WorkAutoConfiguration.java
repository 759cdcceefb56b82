package dev.outrigger.work.autoconfigure;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Function;

import dev.outrigger.kafka.KafkaClientSettings;
import dev.outrigger.kit.InstanceId;
import dev.outrigger.kit.config.InvalidSettingException;
import dev.outrigger.work.WorkMode;
import dev.outrigger.work.WorkProperties;
import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.kafka.KafkaSettings;
import dev.outrigger.work.status.StatusPublisher;
import dev.outrigger.work.status.StatusUnavailableException;
import dev.outrigger.work.status.StatusView;
import dev.outrigger.work.status.StatusViewReadiness;
import dev.outrigger.work.topic.QueueTopics;
import dev.outrigger.work.topic.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * What both modes share: Kafka clients, topic names and creation, and the status view.
 * The mode decides the rest ({@link CoordinatorConfiguration},
 * {@link AgentConfiguration}).
 */
@AutoConfiguration
@EnableConfigurationProperties(WorkProperties.class)
@Import({ CoordinatorConfiguration.class, AgentConfiguration.class })
public final class WorkAutoConfiguration {

	WorkAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	KafkaSettings kafkaSettings(WorkProperties properties, ObjectProvider<InstanceId> instance) {
		return new KafkaSettings(new KafkaClientSettings(properties.kafka().bootstrapServers(),
				"outrigger-work-" + properties.mode().name().toLowerCase(Locale.ROOT) + "-" + instanceId(instance),
				properties.kafka().properties()));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	Admin workAdmin(KafkaSettings kafka) {
		return Admin.create(kafka.admin());
	}

	@Bean
	@ConditionalOnMissingBean
	Clock workClock() {
		return Clock.systemUTC();
	}

	@Bean
	@ConditionalOnMissingBean
	ItemJson itemJson() {
		return new ItemJson();
	}

	@Bean
	@ConditionalOnMissingBean
	QueueTopics queueTopics(WorkProperties properties) {
		return new QueueTopics(properties.topics().prefix());
	}

	@Bean
	@ConditionalOnMissingBean
	TopicProvisioner topicProvisioner(Admin admin, QueueTopics topics, WorkProperties properties) {
		return new TopicProvisioner(admin, topics, properties.topics().partitions(),
				properties.topics().replicationFactor());
	}

	@Bean(destroyMethod = "destroy")
	@ConditionalOnMissingBean
	DefaultKafkaProducerFactory<String, byte[]> workProducerFactory(KafkaSettings kafka) {
		return new DefaultKafkaProducerFactory<>(kafka.producer());
	}

	@Bean
	@ConditionalOnMissingBean
	KafkaTemplate<String, byte[]> workKafkaTemplate(ProducerFactory<String, byte[]> producers) {
		return new KafkaTemplate<>(producers);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	StatusView statusView(KafkaSettings kafka, Admin admin, QueueTopics topics, ItemJson json,
			TopicProvisioner provisioner, ObjectProvider<StatusPublisher> publisher, WorkProperties properties,
			Clock clock) {
		// a coordinator writes the standing snapshot again when a late one would outlive
		// it in compaction
		boolean repairs = properties.mode() == WorkMode.COORDINATOR;
		StatusView view = statusViewIn(properties.store(),
				(dir) -> new StatusView(() -> new KafkaConsumer<>(kafka.reader("status-view")), admin, topics.status(),
						json, clock, (standing) -> {
							if (repairs) {
								publisher.getObject().publish(standing);
							}
						}, properties.mode() == WorkMode.AGENT, dir));
		// the store first: a directory that cannot hold it fails before anything waits on
		// Kafka
		try {
			provisioner.ensureStatus();
		}
		catch (RuntimeException ex) {
			closeQuietly(view);
			throw ex;
		}
		view.start();
		return view;
	}

	private static void closeQuietly(StatusView view) {
		try {
			view.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A store that cannot be opened is a setting to fix, named in the one start-up line.
	 */
	private static StatusView statusViewIn(WorkProperties.Store store, Function<@Nullable Path, StatusView> view) {
		try {
			return view.apply(store.dir());
		}
		catch (StatusUnavailableException | UncheckedIOException ex) {
			throw new InvalidSettingException("OUTRIGGER_WORK_STORE_DIR", String.valueOf(store.dir()),
					"expected a directory this process can write and no other uses (" + ex.getMessage() + ")");
		}
	}

	@Bean
	@ConditionalOnMissingBean
	StatusPublisher statusPublisher(KafkaTemplate<String, byte[]> kafka, QueueTopics topics, ItemJson json,
			StatusView view) {
		return new StatusPublisher(kafka, topics.status(), json, view);
	}

	@Bean
	@ConditionalOnMissingBean
	StatusViewReadiness statusViewReadiness(StatusView view) {
		return new StatusViewReadiness(view);
	}

	/**
	 * The kit's instance id, or the same rule where the kit's auto-configuration is left
	 * out.
	 */
	static String instanceId(ObjectProvider<InstanceId> instance) {
		return instance.getIfAvailable(InstanceId::detect).value();
	}

}
