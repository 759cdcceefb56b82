package dev.outrigger.election.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.outrigger.election.Candidacy;
import dev.outrigger.election.ElectionObserver;
import dev.outrigger.election.ElectionTimings;
import dev.outrigger.election.LeaderObservation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One candidate's campaign in one election: a loop on its own thread that tries every
 * retry period, and a deadline on the backend's timer that withdraws any report older
 * than the renew deadline. All database work of a candidacy happens on its loop thread,
 * one step at a time, so a release can never be overtaken by a renewal of the same
 * candidacy.
 */
final class JdbcCandidacy implements Candidacy {

	private static final Log logger = LogFactory.getLog(JdbcCandidacy.class);

	private static final int WARN_EVERY = 20;

	private final JdbcElectionBackend backend;

	private final String election;

	private final String candidate;

	private final ElectionObserver observer;

	private final long retryNanos;

	private final long renewDeadlineNanos;

	private final long stopWaitNanos;

	private final Thread loop;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition wake = this.lock.newCondition();

	// guarded by lock

	private boolean stopRequested;

	private boolean resignRequested;

	private boolean halted;

	private @Nullable LeaderObservation reported;

	private long reportedUntil;

	private int failures;

	// confined to the loop thread: the token of this candidate's term in the table, 0 if
	// none

	private long heldToken;

	JdbcCandidacy(JdbcElectionBackend backend, String election, String candidate, ElectionObserver observer,
			ElectionTimings timings) {
		this.backend = backend;
		this.election = election;
		this.candidate = candidate;
		this.observer = observer;
		this.retryNanos = timings.retryPeriod().toNanos();
		this.renewDeadlineNanos = timings.renewDeadline().toNanos();
		// in-flight step (≈ one retry period) plus the release must fit in the renew
		// deadline
		this.stopWaitNanos = Math.max(this.renewDeadlineNanos - this.retryNanos, this.renewDeadlineNanos / 2);
		this.loop = Thread.ofVirtual()
			.name("outrigger-election-jdbc-" + election + "-" + candidate)
			.unstarted(this::run);
	}

	void start() {
		this.loop.start();
	}

	@Override
	public void resign() {
		this.lock.lock();
		try {
			if (this.stopRequested || this.halted) {
				return;
			}
			this.resignRequested = true;
			// tell the app first: it stops its leader work before anyone else can take
			// over
			if (leads()) {
				report(LeaderObservation.nobody());
			}
			this.wake.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void stop() {
		this.lock.lock();
		try {
			this.stopRequested = true;
			// before the release: the app stops its leader work before anyone else can
			// take over
			report(LeaderObservation.nobody());
			this.wake.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		awaitLoop();
		this.backend.forget(this);
	}

	/**
	 * For tests: stops campaigning without releasing anything, as if the process had died
	 * or its loop hung. The renew deadline still withdraws a leader's claim.
	 */
	void halt() {
		this.lock.lock();
		try {
			this.halted = true;
			this.wake.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		awaitLoop();
		this.backend.forget(this);
	}

	private void awaitLoop() {
		if (Thread.currentThread() == this.loop) {
			return;
		}
		try {
			if (!this.loop.join(Duration.ofNanos(this.stopWaitNanos))) {
				logger.warn(describe() + ": the database did not answer in time to release leadership; it lapses "
						+ "at the end of the lease unless the pending release still gets through");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void run() {
		long next = System.nanoTime();
		try {
			while (true) {
				boolean resign;
				this.lock.lock();
				try {
					long wait;
					while (!this.stopRequested && !this.halted && !this.resignRequested
							&& (wait = next - System.nanoTime()) > 0) {
						this.wake.awaitNanos(wait);
					}
					if (this.stopRequested || this.halted) {
						break;
					}
					resign = this.resignRequested;
					this.resignRequested = false;
				}
				finally {
					this.lock.unlock();
				}
				if (resign) {
					release();
					next = System.nanoTime() + this.retryNanos;
				}
				else {
					long sent = System.nanoTime();
					step(sent);
					next = sent + this.retryNanos;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			if (!isHalted()) {
				release();
			}
		}
	}

	private void step(long sent) {
		JdbcElectionBackend.Attempt attempt;
		try {
			attempt = this.backend.attempt(this.election, this.candidate, this.heldToken);
		}
		catch (SQLException | RuntimeException ex) {
			failed(ex);
			return;
		}
		// even when it is not reported (stopping, resigning, too late), the term is ours
		// to release
		this.heldToken = attempt.heldToken();
		this.lock.lock();
		try {
			if (this.failures > 0) {
				logger.info(describe() + ": the database answers again after " + this.failures + " failed attempts");
				this.failures = 0;
			}
			if (this.stopRequested || this.halted || (this.resignRequested && attempt.won())) {
				return;
			}
			long now = System.nanoTime();
			long until = sent + this.renewDeadlineNanos;
			if (now - until >= 0) {
				logger.warn(describe() + ": the database answered after " + TimeUnit.NANOSECONDS.toMillis(now - sent)
						+ " ms, later than the renew deadline; not trusting it");
				return;
			}
			if (!attempt.won() && !attempt.observation().equals(this.reported) && logger.isDebugEnabled()) {
				LeaderObservation holder = attempt.observation();
				logger.debug(describe() + ": "
						+ ((holder.leader() != null)
								? "held by " + holder.leader() + " with token " + holder.fencingToken() : "free")
						+ "; waiting");
			}
			this.reportedUntil = until;
			report(attempt.observation());
			this.backend.schedule(this::checkDeadline, until - now);
		}
		finally {
			this.lock.unlock();
		}
	}

	private void failed(Exception ex) {
		int count;
		boolean leading;
		this.lock.lock();
		try {
			count = ++this.failures;
			leading = leads();
		}
		finally {
			this.lock.unlock();
		}
		String message = describe() + ": could not " + (leading ? "renew" : "campaign") + " (" + count
				+ ((count == 1) ? " failure): " : " failures in a row): ") + ex;
		if (count == 1 || count % WARN_EVERY == 0) {
			logger.warn(message);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message, ex);
		}
	}

	/**
	 * Withdraws the last report once the renew deadline has passed since its step was
	 * sent.
	 */
	private void checkDeadline() {
		this.lock.lock();
		try {
			if (System.nanoTime() - this.reportedUntil < 0 || this.reported == null || this.reported.leader() == null) {
				return;
			}
			if (leads()) {
				logger.warn(describe() + ": could not renew within the renew deadline ("
						+ TimeUnit.NANOSECONDS.toMillis(this.renewDeadlineNanos) + " ms); no longer claiming to lead");
			}
			else {
				logger.debug(describe() + ": no answer from the database within the renew deadline; leader unknown");
			}
			report(LeaderObservation.nobody());
		}
		finally {
			this.lock.unlock();
		}
	}

	private void release() {
		long token = this.heldToken;
		this.heldToken = 0;
		if (token == 0) {
			return;
		}
		try {
			if (this.backend.release(this.election, this.candidate, token)) {
				logger.debug(describe() + ": released the term with token " + token);
			}
		}
		catch (SQLException | RuntimeException ex) {
			logger.warn(describe() + ": could not release the term with token " + token
					+ "; it lapses at the end of the lease: " + ex);
		}
	}

	/** Under the lock: tells the observer, only of changes, in order. */
	private void report(LeaderObservation observation) {
		if (observation.equals(this.reported)) {
			return;
		}
		this.reported = observation;
		try {
			this.observer.observe(observation);
		}
		catch (RuntimeException ex) {
			logger.warn(describe() + ": the observer failed: " + ex, ex);
		}
	}

	private boolean leads() {
		return this.reported != null && this.candidate.equals(this.reported.leader());
	}

	private boolean isHalted() {
		this.lock.lock();
		try {
			return this.halted;
		}
		finally {
			this.lock.unlock();
		}
	}

	private String describe() {
		return "Election '" + this.election + "' (jdbc " + this.backend.table() + "), candidate " + this.candidate;
	}

}
