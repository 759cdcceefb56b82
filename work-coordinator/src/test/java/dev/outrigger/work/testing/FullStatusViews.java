package dev.outrigger.work.testing;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.kafka.KafkaSettings;
import dev.outrigger.work.status.StatusPublisher;
import dev.outrigger.work.status.StatusView;
import dev.outrigger.work.topic.QueueTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.kafka.core.KafkaTemplate;

import static org.awaitility.Awaitility.await;

/**
 * A full status view beside an agent application, whose own view keeps digests only: what
 * tests read items' statuses from, and submit through (as a coordinator would), with the
 * agent's Kafka clients. Closed with the application.
 */
public final class FullStatusViews {

	private static final Map<ConfigurableApplicationContext, StatusView> views = new ConcurrentHashMap<>();

	private FullStatusViews() {
	}

	public static StatusView of(ConfigurableApplicationContext app) {
		return views.computeIfAbsent(app, FullStatusViews::open);
	}

	/**
	 * A publisher that applies what it writes to {@link #of} at once, as a coordinator's
	 * does.
	 */
	@SuppressWarnings("unchecked")
	public static StatusPublisher publisher(ConfigurableApplicationContext app) {
		return new StatusPublisher(app.getBean(KafkaTemplate.class), app.getBean(QueueTopics.class).status(),
				app.getBean(ItemJson.class), of(app));
	}

	private static StatusView open(ConfigurableApplicationContext app) {
		KafkaSettings kafka = app.getBean(KafkaSettings.class);
		StatusView view = new StatusView(() -> new KafkaConsumer<>(kafka.reader("test-status-view")),
				app.getBean(Admin.class), app.getBean(QueueTopics.class).status(), app.getBean(ItemJson.class),
				Clock.systemUTC(), (late) -> {
				}, false, null);
		view.start();
		app.addApplicationListener((ApplicationListener<ContextClosedEvent>) (event) -> {
			views.remove(app);
			try {
				view.close();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		await().atMost(Duration.ofSeconds(30)).until(view::caughtUpAtStart);
		return view;
	}

}
