package dev.outrigger.work.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import dev.outrigger.kit.InstanceId;
import dev.outrigger.work.WorkProperties;
import dev.outrigger.work.agent.AgentMetrics;
import dev.outrigger.work.agent.EngineContext;
import dev.outrigger.work.agent.EngineSelection;
import dev.outrigger.work.agent.ItemRunner;
import dev.outrigger.work.agent.RunningReports;
import dev.outrigger.work.agent.WorkEngine;
import dev.outrigger.work.agent.WorkerClient;
import dev.outrigger.work.agent.classic.ClassicEngine;
import dev.outrigger.work.agent.share.ShareEngine;
import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.kafka.KafkaSettings;
import dev.outrigger.work.status.StatusPublisher;
import dev.outrigger.work.status.StatusView;
import dev.outrigger.work.topic.QueueTopics;
import dev.outrigger.work.topic.TopicProvisioner;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The agent: takes items of its queues from Kafka with the chosen engine and runs them
 * against the worker beside it. Items are taken once the application is ready.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "outrigger.work.mode", havingValue = "agent")
class AgentConfiguration {

	private static final Log logger = LogFactory.getLog(AgentConfiguration.class);

	private static final Duration VIEW_POLL = Duration.ofMillis(20);

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	WorkerClient workerClient(WorkProperties properties, ItemJson json) {
		return new WorkerClient(properties.workerUrl(), json);
	}

	@Bean
	@ConditionalOnMissingBean
	AgentMetrics agentMetrics(MeterRegistry registry) {
		return new AgentMetrics(registry);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RunningReports runningReports(StatusPublisher publisher, StatusView view, WorkProperties properties) {
		return new RunningReports(publisher, view, properties.reportRunningAfter());
	}

	@Bean
	@ConditionalOnMissingBean
	ItemRunner itemRunner(WorkerClient worker, StatusView view, StatusPublisher publisher,
			RunningReports runningReports, WorkProperties properties, AgentMetrics metrics, Clock clock,
			ObjectProvider<InstanceId> instance) {
		return new ItemRunner(worker, view, publisher, runningReports, properties.backoff(), properties.maxItemBytes(),
				WorkAutoConfiguration.instanceId(instance), clock, metrics);
	}

	@Bean(destroyMethod = "stop")
	@ConditionalOnMissingBean
	WorkEngine workEngine(WorkProperties properties, KafkaSettings kafka, QueueTopics topics, ItemJson json,
			ItemRunner runner, KafkaTemplate<String, byte[]> kafkaTemplate, Admin admin, TopicProvisioner provisioner) {
		properties.queues().forEach(provisioner::ensureQueue);
		EngineContext context = new EngineContext(properties, kafka, topics, json, runner, kafkaTemplate);
		return switch (EngineSelection.resolve(properties.engine(), admin)) {
			case SHARE -> new ShareEngine(context, admin);
			case CLASSIC, AUTO -> new ClassicEngine(context);
		};
	}

	/**
	 * Starts the engine once the application is ready and the status view has caught up:
	 * an agent that knew less than the log says could run again an item that already
	 * succeeded.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "takeItemsWhenReady")
	ApplicationListener<ApplicationReadyEvent> takeItemsWhenReady(WorkEngine engine, StatusView view) {
		return (event) -> Thread.ofVirtual().name("engine-start").start(() -> {
			try {
				while (!view.caughtUpAtStart()) {
					Thread.sleep(VIEW_POLL);
				}
				engine.start();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (RuntimeException ex) {
				// an agent that cannot take items is of no use: say why and let the
				// platform restart it
				logger.error("outrigger: the " + engine.name() + " could not start: " + ex.getMessage(), ex);
				System.exit(1);
			}
		});
	}

}
