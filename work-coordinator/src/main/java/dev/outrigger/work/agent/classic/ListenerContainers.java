package dev.outrigger.work.agent.classic;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.outrigger.work.kafka.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.ContainerProperties.AckMode;

/**
 * Builds the classic engine's spring-kafka listener containers: consumers that commit
 * what the listener acknowledged once per poll (without waiting for the commit), stop
 * after the delivery at hand, and poll often enough for the items they run
 * ({@link PollLimits}). A pause needs no immediate mode: the listener hands the rest of
 * the poll back itself, and no records are kept aside to be delivered after a resume past
 * a delivery sought back in the meantime.
 */
final class ListenerContainers {

	private final KafkaSettings kafka;

	private final Duration itemTimeout;

	private final DeliveryListener listener;

	private final UnconfirmedOutcomes unconfirmed;

	private final CommonErrorHandler errorHandler;

	private final int concurrency;

	/**
	 * @param concurrency consumers per container, each running one delivery at a time
	 */
	ListenerContainers(KafkaSettings kafka, Duration itemTimeout, DeliveryListener listener,
			UnconfirmedOutcomes unconfirmed, CommonErrorHandler errorHandler, int concurrency) {
		this.kafka = kafka;
		this.itemTimeout = itemTimeout;
		this.listener = listener;
		this.unconfirmed = unconfirmed;
		this.errorHandler = errorHandler;
		this.concurrency = concurrency;
	}

	/** A container whose consumers read {@code topics} as members of {@code group}. */
	ConcurrentMessageListenerContainer<String, byte[]> create(String name, String group, List<String> topics) {
		ContainerProperties properties = new ContainerProperties(topics.toArray(String[]::new));
		properties.setMessageListener(this.listener);
		properties.setAckMode(AckMode.MANUAL);
		properties.setStopImmediate(true);
		// a consumer goes on with its next poll while its commit travels: a commit that
		// fails or is
		// lost only runs confirmed items again, which their status then skips
		properties.setSyncCommits(false);
		properties.setMicrometerEnabled(false);
		// consumers on virtual threads: each worker call runs on its consumer's own
		// thread, with no
		// hand-off per item, and the interrupt of a hand-back closes its socket
		SimpleAsyncTaskExecutor consumers = new SimpleAsyncTaskExecutor(name + "-");
		consumers.setVirtualThreads(true);
		properties.setListenerTaskExecutor(consumers);
		ConcurrentMessageListenerContainer<String, byte[]> container = new ConcurrentMessageListenerContainer<>(
				new DefaultKafkaConsumerFactory<>(consumerSettings(name, group)), properties);
		container.setConcurrency(this.concurrency);
		container.setCommonErrorHandler(this.errorHandler);
		// settles each consumer's held delivery once its poll's records are through,
		// before the commit
		container.setRecordInterceptor(this.unconfirmed);
		container.setBeanName(name);
		return container;
	}

	/** The poll limits every container's consumers get. */
	PollLimits pollLimits() {
		return PollLimits.applyTo(this.kafka.groupConsumer("poll-limits", "poll-limits"), this.itemTimeout);
	}

	private Map<String, Object> consumerSettings(String purpose, String group) {
		Map<String, Object> settings = this.kafka.groupConsumer(purpose, group);
		PollLimits.applyTo(settings, this.itemTimeout);
		Object protocol = settings.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
		if (protocol == null || GroupProtocol.CLASSIC.name().equalsIgnoreCase(protocol.toString())) {
			// members keep their partitions, and keep working, while another member joins
			// or leaves
			settings.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
					CooperativeStickyAssignor.class.getName());
		}
		return settings;
	}

}
