package dev.outrigger.work.coordinator.api;

import java.util.regex.Pattern;

import dev.outrigger.kit.problem.BadRequestException;

/**
 * Queue names in URLs: they name Kafka topics, so only what a topic name can hold.
 */
final class QueueNames {

	private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,120}");

	private QueueNames() {
	}

	static String require(String queue) {
		if (!NAME.matcher(queue).matches()) {
			throw new BadRequestException("invalid queue name '" + queue
					+ "': use 1-120 letters, digits, '_' or '-' (it names Kafka topics)");
		}
		return queue;
	}

}
