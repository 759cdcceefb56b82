package dev.outrigger.work.agent.share;

import java.util.concurrent.CompletableFuture;

import dev.outrigger.work.agent.Attempt;
import dev.outrigger.work.agent.DeadLetters;
import dev.outrigger.work.agent.ItemRunner;
import dev.outrigger.work.agent.Verdict;
import dev.outrigger.work.item.ItemJson;
import dev.outrigger.work.item.UnreadableItemException;
import dev.outrigger.work.item.WorkItem;
import dev.outrigger.work.topic.QueueTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What one delivery of a record comes to: reads the item, runs it as the attempt Kafka's
 * delivery count makes it, and — once Kafka has confirmed the outcome — writes it to the
 * dead-letter topic when it is dead. A record that is not an item is dead on its first
 * delivery.
 */
final class RecordProcessor {

	private final ItemRunner runner;

	private final ItemJson json;

	private final QueueTopics topics;

	private final AttemptBudget budget;

	private final DeadLetters deadLetters;

	RecordProcessor(ItemRunner runner, ItemJson json, QueueTopics topics, AttemptBudget budget,
			DeadLetters deadLetters) {
		this.runner = runner;
		this.json = json;
		this.topics = topics;
		this.budget = budget;
		this.deadLetters = deadLetters;
	}

	/**
	 * Runs one delivery up to the worker's answer; {@link #settle} finishes it.
	 * @throws InterruptedException if the agent is stopping
	 */
	Attempt process(ConsumerRecord<String, byte[]> record) throws InterruptedException {
		WorkItem item;
		try {
			item = read(record);
		}
		catch (UnreadableItemException ex) {
			return new Attempt(this.runner.unreadable(this.topics.queueOf(record.topic()), record.topic(),
					record.partition(), record.offset(), ex.getMessage()), CompletableFuture.completedFuture(null));
		}
		return this.runner.attempt(this.budget.limit(item, record), this.budget.attempt(record));
	}

	/**
	 * Waits until Kafka has the attempt's outcome. A {@link Verdict.DeadLetter} it
	 * returns is already on the dead-letter topic.
	 * @throws dev.outrigger.work.status.StatusUnavailableException if Kafka did not take
	 * the outcome; the delivery must be handed back
	 */
	Verdict settle(ConsumerRecord<String, byte[]> record, Attempt attempt) {
		return deadLettered(record, attempt.confirmed());
	}

	private WorkItem read(ConsumerRecord<String, byte[]> record) throws UnreadableItemException {
		if (record.value() == null) {
			throw new UnreadableItemException("not a work item: the record has no value");
		}
		return this.json.readItem(record.value());
	}

	private Verdict deadLettered(ConsumerRecord<String, byte[]> record, Verdict verdict) {
		if (verdict instanceof Verdict.DeadLetter dead) {
			this.deadLetters.publish(record, dead.reason());
		}
		return verdict;
	}

}
