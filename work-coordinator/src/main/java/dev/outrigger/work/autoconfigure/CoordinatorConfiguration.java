package dev.outrigger.work.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.outrigger.kit.KitProperties;
import dev.outrigger.kit.admin.BearerToken;
import dev.outrigger.kit.config.InvalidSettingException;
import dev.outrigger.work.WorkProperties;
import dev.outrigger.work.coordinator.SubmissionGate;
import dev.outrigger.work.coordinator.Submissions;
import dev.outrigger.work.coordinator.api.ClientAccessInterceptor;
import dev.outrigger.work.coordinator.api.ItemController;
import dev.outrigger.work.coordinator.api.QueueController;
import dev.outrigger.work.coordinator.api.SubmissionController;
import dev.outrigger.work.coordinator.api.WorkProblems;
import dev.outrigger.work.coordinator.callback.CallbackDispatcher;
import dev.outrigger.work.coordinator.callback.CallbackSender;
import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.kafka.KafkaSettings;
import dev.outrigger.work.status.StatusPublisher;
import dev.outrigger.work.status.StatusRetention;
import dev.outrigger.work.status.StatusView;
import dev.outrigger.work.topic.QueueTopics;
import dev.outrigger.work.topic.TopicProvisioner;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The coordinator: the submission and status API, callbacks and status retention. Topics
 * of the configured queues are created at start; other queues' on their first submission.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "outrigger.work.mode", havingValue = "coordinator", matchIfMissing = true)
@Import({ SubmissionController.class, ItemController.class, QueueController.class, WorkProblems.class })
class CoordinatorConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Submissions submissions(KafkaTemplate<String, byte[]> kafka, QueueTopics topics, TopicProvisioner provisioner,
			StatusPublisher publisher, StatusView view, ItemJson json, WorkProperties properties, Clock clock) {
		properties.queues().forEach(provisioner::ensureQueue);
		return new Submissions(kafka, topics, provisioner, publisher, view, json, properties, clock);
	}

	// by name: any application's WebMvcConfigurer has this type
	@Bean
	@ConditionalOnMissingBean(name = "clientAccessConfigurer")
	WebMvcConfigurer clientAccessConfigurer(WorkProperties properties, ObjectProvider<KitProperties> kit) {
		String token = properties.client().token();
		if (token == null) {
			return new WebMvcConfigurer() {
			};
		}
		if (token.isBlank()) {
			throw new InvalidSettingException("OUTRIGGER_WORK_CLIENT_TOKEN", "",
					"expected a token, or leave the variable unset");
		}
		KitProperties kitSettings = kit.getIfAvailable();
		String adminToken = (kitSettings != null) ? kitSettings.admin().token() : null;
		ClientAccessInterceptor interceptor = new ClientAccessInterceptor(new BearerToken(token),
				(adminToken != null && !adminToken.isEmpty()) ? new BearerToken(adminToken) : null);
		return new WebMvcConfigurer() {
			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(interceptor);
			}
		};
	}

	@Bean
	@ConditionalOnMissingBean
	SubmissionGate submissionGate() {
		return new SubmissionGate();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	StatusRetention statusRetention(StatusView view, StatusPublisher publisher, WorkProperties properties,
			Clock clock) {
		StatusRetention retention = new StatusRetention(view, publisher, properties.status().retention(),
				properties.idempotency().window(), clock);
		retention.start();
		return retention;
	}

	@Bean
	@ConditionalOnMissingBean
	CallbackSender callbackSender(JsonMapper json, WorkProperties properties, MeterRegistry registry) {
		return new CallbackSender(json, properties.callback().maxAttempts(), properties.callback().timeout(), registry);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	CallbackDispatcher callbackDispatcher(KafkaSettings kafka, QueueTopics topics, ItemJson json, StatusView view,
			CallbackSender sender, WorkProperties properties) {
		// earliest (the default): a partition that moves before its first commit must not
		// skip what
		// was written meanwhile; a new group therefore calls back for the finished items
		// still kept
		var settings = kafka.statusGroupConsumer("callbacks", properties.group() + "-callbacks",
				Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100, ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
						(int) sender.longestSend().plus(Duration.ofMinutes(1)).toMillis()));
		CallbackDispatcher dispatcher = new CallbackDispatcher(() -> new KafkaConsumer<>(settings), topics.status(),
				json, view, sender);
		dispatcher.start();
		return dispatcher;
	}

}
