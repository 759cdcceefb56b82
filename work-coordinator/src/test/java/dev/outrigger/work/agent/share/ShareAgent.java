package dev.outrigger.work.agent.share;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.outrigger.work.WorkProperties;
import dev.outrigger.work.agent.WorkEngine;
import dev.outrigger.work.coordinator.Accepted;
import dev.outrigger.work.coordinator.Submission;
import dev.outrigger.work.coordinator.Submissions;
import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.ItemState;
import dev.outrigger.work.item.ItemStatus;
import dev.outrigger.work.status.StatusView;
import dev.outrigger.work.testing.FullStatusViews;
import dev.outrigger.work.testing.ScriptedWorker;
import dev.outrigger.work.testing.WorkApps;
import dev.outrigger.work.topic.QueueTopics;
import dev.outrigger.work.topic.TopicProvisioner;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * An agent application running the share engine in the test JVM, and what the tests use
 * of it: submissions through its own Kafka clients, its status view, its engine.
 */
final class ShareAgent implements AutoCloseable {

	private final ConfigurableApplicationContext app;

	private final Submissions submissions;

	private ShareAgent(ConfigurableApplicationContext app) {
		this.app = app;
		this.submissions = new Submissions(kafka(), topics(), app.getBean(TopicProvisioner.class),
				FullStatusViews.publisher(app), view(), app.getBean(ItemJson.class), app.getBean(WorkProperties.class),
				Clock.systemUTC());
	}

	/**
	 * Starts an agent taking items of {@code queue} in the share group
	 * {@code "group-" + queue}.
	 * @param settings more {@code outrigger.work.*} settings
	 */
	static ShareAgent start(String bootstrapServers, String queue, ScriptedWorker worker,
			Map<String, String> settings) {
		Map<String, String> all = new HashMap<>();
		all.put("outrigger.work.queues", queue);
		all.put("outrigger.work.worker-url", worker.url().toString());
		all.put("outrigger.work.engine", "share");
		all.put("outrigger.work.group", "group-" + queue);
		all.putAll(settings);
		return new ShareAgent(WorkApps.agent(bootstrapServers, all));
	}

	/** Queues one item and returns its id. */
	String submit(String queue, Submission submission) {
		return submit(queue, List.of(submission), null).get(0);
	}

	/**
	 * Queues items, as one request with {@code idempotencyKey}, and returns their ids.
	 */
	List<String> submit(String queue, List<Submission> submissions, @Nullable String idempotencyKey) {
		return this.submissions.submit(queue, submissions, idempotencyKey).stream().map(Accepted::id).toList();
	}

	Optional<ItemStatus> status(String id) {
		return view().get(id);
	}

	boolean reached(String id, ItemState state) {
		return status(id).map(ItemStatus::state).filter(state::equals).isPresent();
	}

	WorkEngine engine() {
		return this.app.getBean(WorkEngine.class);
	}

	@SuppressWarnings("unchecked")
	KafkaTemplate<String, byte[]> kafka() {
		return this.app.getBean(KafkaTemplate.class);
	}

	QueueTopics topics() {
		return this.app.getBean(QueueTopics.class);
	}

	ItemJson json() {
		return this.app.getBean(ItemJson.class);
	}

	/** The agent's own view keeps digests only; tests read full statuses beside it. */
	private StatusView view() {
		return FullStatusViews.of(this.app);
	}

	@Override
	public void close() {
		this.app.close();
	}

}
