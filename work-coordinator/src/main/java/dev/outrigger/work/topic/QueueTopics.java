package dev.outrigger.work.topic;

/**
 * The names of a deployment's topics: one per queue for items, its retry and dead-letter
 * topics, and one compacted status topic shared by every queue.
 *
 * @param prefix what every name starts with
 */
public record QueueTopics(String prefix) {

	public String items(String queue) {
		return this.prefix + queue;
	}

	/** Where the classic engine parks items waiting out their backoff. */
	public String retry(String queue) {
		return this.prefix + queue + ".retry";
	}

	public String dead(String queue) {
		return this.prefix + queue + ".dead";
	}

	/** The queue a queue, retry or dead-letter topic belongs to. */
	public String queueOf(String topic) {
		String name = topic.startsWith(this.prefix) ? topic.substring(this.prefix.length()) : topic;
		for (String suffix : new String[] { ".retry", ".dead" }) {
			if (name.endsWith(suffix)) {
				return name.substring(0, name.length() - suffix.length());
			}
		}
		return name;
	}

	public String status() {
		return this.prefix + "status";
	}

}
