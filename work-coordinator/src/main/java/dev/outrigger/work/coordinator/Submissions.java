package dev.outrigger.work.coordinator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.outrigger.work.WorkProperties;
import dev.outrigger.work.item.ItemIds;
import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.ItemStatus;
import dev.outrigger.work.item.WorkItem;
import dev.outrigger.work.status.KafkaWrites;
import dev.outrigger.work.status.StatusPublisher;
import dev.outrigger.work.status.StatusUnavailableException;
import dev.outrigger.work.status.StatusView;
import dev.outrigger.work.topic.QueueTopics;
import dev.outrigger.work.topic.TopicProvisioner;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Takes submissions, and answers only once Kafka has each item on every in-sync replica —
 * an accepted submission is never lost. Without an idempotency key an item and its QUEUED
 * status are written together, one round trip; the item is the truth of "queued", so if
 * only its status is refused the item still counts (its status shows from the agent's
 * first report), and if the item is refused its status is forgotten again. With an
 * idempotency key the item id is derived from the key, and the first QUEUED status for
 * that id in the log wins: a replica whose write came second queues nothing, so racing
 * replicas cannot queue the work twice. That claim needs its own round trip before the
 * item is sent. Concurrent submissions share the producer's requests (its linger).
 */
public final class Submissions {

	private static final Log logger = LogFactory.getLog(Submissions.class);

	private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

	private final KafkaTemplate<String, byte[]> kafka;

	private final ItemPartitions partitions;

	private final QueueTopics topics;

	private final TopicProvisioner provisioner;

	private final StatusPublisher publisher;

	private final StatusView view;

	private final ItemJson json;

	private final WorkProperties defaults;

	private final Clock clock;

	public Submissions(KafkaTemplate<String, byte[]> kafka, QueueTopics topics, TopicProvisioner provisioner,
			StatusPublisher publisher, StatusView view, ItemJson json, WorkProperties defaults, Clock clock) {
		this.kafka = kafka;
		this.partitions = new ItemPartitions(kafka);
		this.topics = topics;
		this.provisioner = provisioner;
		this.publisher = publisher;
		this.view = view;
		this.json = json;
		this.defaults = defaults;
		this.clock = clock;
	}

	/**
	 * Queues {@code submissions} on {@code queue}.
	 * @param idempotencyKey with one submission: its key; with several, the i-th item's
	 * key is {@code idempotencyKey + "/" + i}
	 */
	public List<Accepted> submit(String queue, List<Submission> submissions, @Nullable String idempotencyKey) {
		List<WorkItem> items = new ArrayList<>(submissions.size());
		Instant now = this.clock.instant();
		for (int i = 0; i < submissions.size(); i++) {
			String key = (idempotencyKey == null) ? null
					: (submissions.size() == 1) ? idempotencyKey : idempotencyKey + "/" + i;
			items.add(item(queue, submissions.get(i), key, now, i));
		}
		this.provisioner.ensureQueue(queue);
		return (idempotencyKey == null) ? queue(items) : queueOnce(items);
	}

	/**
	 * Re-drives a dead item: a new generation, queued again with its attempts counted
	 * afresh.
	 */
	public ItemStatus redrive(WorkItem dead) {
		WorkItem again = dead.nextGeneration();
		ItemStatus queued = ItemStatus.queued(again, ItemIds.random(), this.clock.instant());
		KafkaWrites.confirm(this.publisher.publish(queued));
		String topic = this.topics.items(again.queue());
		KafkaWrites.confirm(send(topic, again, this.partitions.dealer(topic)));
		return queued;
	}

	private WorkItem item(String queue, Submission submission, @Nullable String idempotencyKey, Instant now,
			int index) {
		String where = (index > 0) ? " (item " + index + ")" : "";
		if (submission.payload() == null) {
			throw new InvalidSubmissionException("\"payload\" is required" + where);
		}
		int maxAttempts = (submission.maxAttempts() != null) ? submission.maxAttempts() : this.defaults.maxAttempts();
		if (maxAttempts < 1 || maxAttempts > WorkProperties.MAX_ATTEMPTS_LIMIT) {
			throw new InvalidSubmissionException("\"maxAttempts\" must be 1 to " + WorkProperties.MAX_ATTEMPTS_LIMIT
					+ where + ", was " + maxAttempts);
		}
		Duration timeout = (submission.timeout() != null) ? submission.timeout() : this.defaults.itemTimeout();
		if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(12)) > 0) {
			throw new InvalidSubmissionException(
					"\"timeout\" must be positive and at most 12h" + where + ", was " + timeout);
		}
		if (submission.callbackUrl() != null && !submission.callbackUrl().isAbsolute()) {
			throw new InvalidSubmissionException("\"callbackUrl\" must be an absolute http(s) URL" + where);
		}
		String id = (idempotencyKey != null) ? ItemIds.forIdempotencyKey(queue, idempotencyKey) : ItemIds.random();
		WorkItem item = new WorkItem(id, queue, submission.payload(), submission.key(), maxAttempts, timeout.toMillis(),
				submission.callbackUrl(), now, 0, idempotencyKey);
		int size = this.json.write(item).length;
		if (size > this.defaults.maxItemBytes()) {
			throw new ItemTooLargeException(size, this.defaults.maxItemBytes());
		}
		return item;
	}

	private List<Accepted> queue(List<WorkItem> items) {
		List<CompletableFuture<ItemStatus>> statuses = new ArrayList<>();
		for (WorkItem item : items) {
			statuses.add(this.publisher.publish(ItemStatus.queued(item, ItemIds.random(), item.submittedAt())));
		}
		sendAll(items);
		for (int i = 0; i < items.size(); i++) {
			try {
				KafkaWrites.confirm(statuses.get(i));
			}
			catch (StatusUnavailableException ex) {
				logger.warn("Item " + items.get(i).id() + " is queued, but its QUEUED status was not written ("
						+ ex.getMessage() + "); its status shows once an agent reports on it");
			}
		}
		return items.stream().map((item) -> new Accepted(item.id(), false)).toList();
	}

	private List<Accepted> queueOnce(List<WorkItem> items) {
		List<Accepted> accepted = new ArrayList<>();
		List<WorkItem> claimed = new ArrayList<>();
		List<String> claims = new ArrayList<>();
		List<CompletableFuture<ItemStatus>> claimWrites = new ArrayList<>();
		for (WorkItem item : items) {
			Optional<ItemStatus> known = this.view.getConsistent(item.id(), WRITE_TIMEOUT);
			if (known.isPresent()) {
				accepted.add(new Accepted(item.id(), true));
				continue;
			}
			String claim = ItemIds.random();
			claimWrites.add(this.publisher.publish(ItemStatus.queued(item, claim, item.submittedAt())));
			claimed.add(item);
			claims.add(claim);
			accepted.add(new Accepted(item.id(), false));
		}
		if (claimed.isEmpty()) {
			return accepted;
		}
		try {
			claimWrites.forEach(KafkaWrites::confirm);
			// our QUEUED writes are in the log; whoever's came first there owns each item
			this.view.catchUp(WRITE_TIMEOUT);
		}
		catch (StatusUnavailableException ex) {
			withdraw(claimed, claims);
			throw ex;
		}
		List<WorkItem> owned = new ArrayList<>();
		for (int i = 0; i < claimed.size(); i++) {
			WorkItem item = claimed.get(i);
			ItemStatus standing = this.view.get(item.id()).orElseThrow();
			if (claims.get(i).equals(standing.submission())) {
				owned.add(item);
			}
			else {
				accepted.replaceAll((a) -> a.id().equals(item.id()) ? new Accepted(item.id(), true) : a);
			}
		}
		sendAll(owned);
		return accepted;
	}

	/**
	 * Takes back claims of a submission that failed before its items were sent: a claim
	 * left standing would make the caller's retry a "duplicate" of an item never queued.
	 * A claim another replica's submission holds is left alone. A claim whose write is
	 * still in flight comes before its tombstone in the log (same producer, same key).
	 */
	private void withdraw(List<WorkItem> claimed, List<String> claims) {
		List<CompletableFuture<Void>> forgotten = new ArrayList<>();
		for (int i = 0; i < claimed.size(); i++) {
			String id = claimed.get(i).id();
			String claim = claims.get(i);
			try {
				boolean foreign = this.view.get(id)
					.map(ItemStatus::submission)
					.filter((standing) -> !standing.equals(claim))
					.isPresent();
				if (!foreign) {
					forgotten.add(this.publisher.forget(id));
				}
			}
			catch (StatusUnavailableException ex) {
				forgotten.add(this.publisher.forget(id));
			}
		}
		confirmForgotten(forgotten);
	}

	private static void confirmForgotten(List<CompletableFuture<Void>> forgotten) {
		for (CompletableFuture<Void> forget : forgotten) {
			try {
				KafkaWrites.confirm(forget);
			}
			catch (StatusUnavailableException ex) {
				logger
					.warn("A QUEUED status of an item that was not queued could not be forgotten: " + ex.getMessage());
			}
		}
	}

	/**
	 * Sends the items. If Kafka refuses one, its QUEUED status is forgotten again (before
	 * the caller hears of it), so that the caller's retry with the same idempotency key
	 * queues it, and nobody is told of an item that was never queued.
	 */
	private void sendAll(List<WorkItem> items) {
		if (items.isEmpty()) {
			return;
		}
		// a submission's items are all for one queue
		String topic = this.topics.items(items.getFirst().queue());
		Supplier<@Nullable Integer> partitions = this.partitions.dealer(topic);
		List<CompletableFuture<?>> sent = new ArrayList<>();
		items.forEach((item) -> sent.add(send(topic, item, partitions)));
		StatusUnavailableException failed = null;
		List<CompletableFuture<Void>> forgotten = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			try {
				KafkaWrites.confirm(sent.get(i));
			}
			catch (StatusUnavailableException ex) {
				forgotten.add(this.publisher.forget(items.get(i).id()));
				failed = ex;
			}
		}
		if (failed != null) {
			confirmForgotten(forgotten);
			throw failed;
		}
	}

	private CompletableFuture<?> send(String topic, WorkItem item, Supplier<@Nullable Integer> partitions) {
		if (item.key() != null) {
			return this.kafka.send(topic, item.key(), this.json.write(item));
		}
		return this.kafka.send(topic, partitions.get(), item.id(), this.json.write(item));
	}

}
