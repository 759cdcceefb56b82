package dev.outrigger.work.agent.classic;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.outrigger.work.WorkProperties;
import dev.outrigger.work.agent.WorkEngine;
import dev.outrigger.work.coordinator.Submissions;
import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.status.StatusView;
import dev.outrigger.work.testing.FullStatusViews;
import dev.outrigger.work.testing.ScriptedWorker;
import dev.outrigger.work.testing.WorkApps;
import dev.outrigger.work.topic.QueueTopics;
import dev.outrigger.work.topic.TopicProvisioner;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Agents on the classic engine for one test, each the real application in this JVM;
 * closes those still running when the test is over.
 */
final class ClassicAgents implements AutoCloseable {

	private final String bootstrapServers;

	private final List<ConfigurableApplicationContext> started = new ArrayList<>();

	ClassicAgents(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	/**
	 * Starts an agent of {@code queue} in {@code group} calling {@code worker}: three
	 * partitions per topic, 200 ms initial backoff, unless {@code settings} say
	 * otherwise.
	 */
	ConfigurableApplicationContext start(String queue, String group, ScriptedWorker worker,
			Map<String, String> settings) {
		Map<String, String> all = new HashMap<>();
		all.put("outrigger.work.queues", queue);
		all.put("outrigger.work.group", group);
		all.put("outrigger.work.worker-url", worker.url().toString());
		all.put("outrigger.work.engine", "classic");
		all.put("outrigger.work.backoff.initial", "200ms");
		all.put("outrigger.work.topics.partitions", "3");
		all.putAll(settings);
		ConfigurableApplicationContext agent = WorkApps.agent(this.bootstrapServers, all);
		this.started.add(agent);
		return agent;
	}

	/** Takes submissions the way the coordinator does, with the agent's own clients. */
	@SuppressWarnings("unchecked")
	static Submissions submissions(ConfigurableApplicationContext agent) {
		return new Submissions(agent.getBean(KafkaTemplate.class), agent.getBean(QueueTopics.class),
				agent.getBean(TopicProvisioner.class), FullStatusViews.publisher(agent), FullStatusViews.of(agent),
				agent.getBean(ItemJson.class), agent.getBean(WorkProperties.class), Clock.systemUTC());
	}

	static WorkEngine engine(ConfigurableApplicationContext agent) {
		return agent.getBean(WorkEngine.class);
	}

	/** The agent's own view keeps digests only; tests read full statuses beside it. */
	static StatusView statuses(ConfigurableApplicationContext agent) {
		return FullStatusViews.of(agent);
	}

	static QueueTopics topics(ConfigurableApplicationContext agent) {
		return agent.getBean(QueueTopics.class);
	}

	@Override
	public void close() {
		this.started.stream()
			.filter(ConfigurableApplicationContext::isActive)
			.forEach(ConfigurableApplicationContext::close);
	}

}
