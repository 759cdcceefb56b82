package dev.outrigger.work;

/**
 * What this container does, from {@code OUTRIGGER_WORK_MODE}.
 */
public enum WorkMode {

	/** Takes submissions and answers for items and queues (port 4041). */
	COORDINATOR(4041),

	/** Takes items from Kafka and calls the worker beside it (port 4042). */
	AGENT(4042);

	private final int defaultPort;

	WorkMode(int defaultPort) {
		this.defaultPort = defaultPort;
	}

	public int defaultPort() {
		return this.defaultPort;
	}

}
