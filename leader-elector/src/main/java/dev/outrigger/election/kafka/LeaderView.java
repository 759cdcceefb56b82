package dev.outrigger.election.kafka;

import java.util.Objects;

import dev.outrigger.election.ElectionObserver;
import dev.outrigger.election.LeaderObservation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What one candidate tells its observer, derived from three facts: the term it holds (if
 * any), the newest committed epoch record it has read, and whether it still hears from
 * the group coordinator. The poll thread, the watchdog and the caller of resign/stop all
 * change these facts, so every change and every report happens under one lock, in order,
 * and only when the observation changes.
 */
final class LeaderView {

	private static final Log logger = LogFactory.getLog(LeaderView.class);

	private final String election;

	private final String self;

	private final ElectionObserver observer;

	private @Nullable EpochRecord latest;

	private boolean caughtUp;

	private long term;

	private boolean connected = true;

	private boolean resigning;

	private boolean silent;

	private @Nullable LeaderObservation reported;

	private @Nullable String problem;

	LeaderView(String election, String self, ElectionObserver observer) {
		this.election = election;
		this.self = self;
		this.observer = observer;
	}

	/**
	 * The newest committed record, once the reader has read up to the end of the topic.
	 */
	synchronized void learned(@Nullable EpochRecord latest) {
		this.caughtUp = true;
		if (Objects.equals(this.latest, latest)) {
			return;
		}
		this.latest = latest;
		if (this.term != 0 && latest != null && latest.epoch() > this.term) {
			logger.debug("Election '" + this.election + "': " + describe(latest) + " superseded this candidate's term "
					+ this.term);
			this.term = 0;
		}
		publish();
	}

	/**
	 * Reports this candidate as leader for the term it committed, unless something since
	 * tells it not to: it cannot hear the coordinator, a newer term exists, or it is
	 * resigning or stopped.
	 */
	synchronized boolean lead(long epoch) {
		if (this.silent || this.resigning || !this.connected || (this.latest != null && this.latest.epoch() > epoch)) {
			return false;
		}
		this.term = epoch;
		publish();
		return true;
	}

	/** Whether this candidate still leads with {@code epoch}. */
	synchronized boolean leads(long epoch) {
		return epoch != 0 && this.term == epoch;
	}

	/** Ends this candidate's term, if any. */
	synchronized void stepDown() {
		this.term = 0;
		publish();
	}

	/** Steps down at once and holds back any new term until {@link #resigned()}. */
	synchronized void resign() {
		this.resigning = true;
		stepDown();
	}

	/** Whether a resignation waits for the poll thread to leave the group. */
	synchronized boolean resigning() {
		return this.resigning;
	}

	synchronized void resigned() {
		this.resigning = false;
	}

	/**
	 * Whether the coordinator was heard from within the give-up time. Losing it ends this
	 * candidate's term for good: a new term needs a new acquisition.
	 * @return whether this ended a term
	 */
	synchronized boolean connected(boolean connected) {
		if (connected == this.connected) {
			return false;
		}
		this.connected = connected;
		boolean ended = !connected && this.term != 0;
		if (!connected) {
			this.term = 0;
		}
		publish();
		return ended;
	}

	/**
	 * Tells the observer why the backend cannot answer, or ({@code null}) that it can
	 * again.
	 */
	synchronized void problem(@Nullable String problem) {
		if (this.silent || Objects.equals(problem, this.problem)) {
			return;
		}
		this.problem = problem;
		try {
			this.observer.problem(problem);
		}
		catch (RuntimeException ex) {
			logger.warn("Election '" + this.election + "': the observer failed: " + ex.getMessage(), ex);
		}
	}

	/** Reports nobody, then nothing more: the candidacy stopped. */
	synchronized void close() {
		// a stopped candidacy no longer stands in the way of readiness
		problem(null);
		this.term = 0;
		this.connected = false;
		publish();
		this.silent = true;
	}

	/** Reports nothing more, as a crashed process would. */
	synchronized void silence() {
		this.silent = true;
	}

	private void publish() {
		if (this.silent) {
			return;
		}
		LeaderObservation observation = current();
		if (observation == null || observation.equals(this.reported)) {
			return;
		}
		this.reported = observation;
		try {
			this.observer.observe(observation);
		}
		catch (RuntimeException ex) {
			logger.warn("Election '" + this.election + "': the observer failed: " + ex.getMessage(), ex);
		}
	}

	private @Nullable LeaderObservation current() {
		if (!this.connected) {
			return LeaderObservation.nobody();
		}
		if (this.term != 0) {
			return new LeaderObservation(this.self, this.term);
		}
		if (!this.caughtUp) {
			// nothing known yet; say nothing rather than something stale
			return null;
		}
		EpochRecord latest = this.latest;
		if (latest == null || latest.leader() == null || latest.leader().equals(this.self)) {
			// no term, a released one, or this candidate's own term from before it lost
			// it
			return LeaderObservation.nobody();
		}
		return new LeaderObservation(latest.leader(), latest.epoch());
	}

	private static String describe(EpochRecord record) {
		return (record.leader() != null) ? "term " + record.epoch() + " of " + record.leader()
				: "the release of term " + record.epoch();
	}

}
