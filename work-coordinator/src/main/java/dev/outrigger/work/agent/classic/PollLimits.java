package dev.outrigger.work.agent.classic;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * How many items a classic consumer takes per poll, and how long it may go between polls.
 * <p>
 * A consumer runs the items of a poll one after the other on its own thread, and a
 * consumer that does not poll again within {@code max.poll.interval.ms} is dropped from
 * its group: its partitions move to another consumer, which runs the item still in
 * progress a second time — and again, for as long as that item takes so long. So the rule
 * is
 * {@code max.poll.interval.ms >= max.poll.records × OUTRIGGER_WORK_ITEM_TIMEOUT + 1 min},
 * the minute being time to record each outcome and write retries and dead letters. A
 * configured interval below that is raised. Few records per poll keep the interval, and
 * the time a rebalance waits for a busy consumer, short. An item that asks for a timeout
 * longer than the agent's may still outlive the interval; it then runs twice, with the
 * same idempotency key.
 *
 * @param maxRecords {@code max.poll.records}
 * @param maxInterval {@code max.poll.interval.ms}
 * @param raised whether a configured {@code max.poll.interval.ms} was too short and was
 * raised
 */
record PollLimits(int maxRecords, Duration maxInterval, boolean raised) {

	static final int DEFAULT_MAX_RECORDS = 10;

	static final Duration SETTLE_ALLOWANCE = Duration.ofMinutes(1);

	/**
	 * Puts both limits into consumer {@code settings}: {@code max.poll.records} as
	 * configured, else {@value #DEFAULT_MAX_RECORDS}, and {@code max.poll.interval.ms} at
	 * least what items of {@code itemTimeout} need.
	 * @return the limits now in {@code settings}
	 */
	static PollLimits applyTo(Map<String, Object> settings, Duration itemTimeout) {
		long maxRecords = setting(settings, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, DEFAULT_MAX_RECORDS);
		long needed = needed(itemTimeout, maxRecords);
		long configured = setting(settings, ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 0);
		long interval = Math.max(configured, needed);
		settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, (int) maxRecords);
		settings.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) interval);
		return new PollLimits((int) maxRecords, Duration.ofMillis(interval), configured > 0 && configured < needed);
	}

	private static long setting(Map<String, Object> settings, String name, long otherwise) {
		Object value = settings.get(name);
		if (value == null) {
			return otherwise;
		}
		try {
			long parsed = Long.parseLong(value.toString().strip());
			return Math.clamp(parsed, 1, Integer.MAX_VALUE);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Kafka consumer setting " + name + "=" + value + " is not a number");
		}
	}

	/**
	 * What a poll of items needs; Kafka takes it as an int of milliseconds, about 24 days
	 * at most.
	 */
	private static long needed(Duration itemTimeout, long maxRecords) {
		try {
			return Math.min(itemTimeout.multipliedBy(maxRecords).plus(SETTLE_ALLOWANCE).toMillis(), Integer.MAX_VALUE);
		}
		catch (ArithmeticException ex) {
			return Integer.MAX_VALUE;
		}
	}

}
