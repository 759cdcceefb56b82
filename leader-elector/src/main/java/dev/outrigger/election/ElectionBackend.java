package dev.outrigger.election;

/**
 * A store that decides who leads: a Kubernetes Lease, a Kafka group, a database row. One
 * backend serves every election of the sidecar.
 */
public interface ElectionBackend extends AutoCloseable {

	/**
	 * The backend's name as reported by {@code GET /leader}: kubernetes, kafka, jdbc,
	 * standalone.
	 */
	String name();

	/**
	 * Campaign for {@code election} as {@code candidate} until the returned candidacy is
	 * stopped, reporting every confirmed change to {@code observer} (from any thread).
	 */
	Candidacy campaign(String election, String candidate, ElectionObserver observer);

	/** Releases the backend's clients once every candidacy has stopped. */
	@Override
	default void close() {
	}

}
