package dev.outrigger.election.kubernetes;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.outrigger.election.Candidacy;
import dev.outrigger.election.ElectionObserver;
import dev.outrigger.election.ElectionTimings;
import dev.outrigger.election.LeaderObservation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One candidate in one Lease election. fabric8's {@code LeaderElector} is single-use, so
 * a supervisor thread runs one elector per term and starts a new one after each loss.
 * Leadership is reported only from writes the API server accepted
 * ({@link ConfirmingLock}), and a watchdog gives it up once the renew deadline has passed
 * since the renew time of its last confirmed write — the moment the others count the
 * lease from — whatever fabric8 does with a request that never answers, which is before
 * the lease (longer) could pass to anyone.
 */
final class LeaseCandidacy implements Candidacy {

	private static final Log logger = LogFactory.getLog(LeaseCandidacy.class);

	private final KubernetesClient client;

	private final String namespace;

	private final String election;

	private final String candidate;

	private final ElectionTimings timings;

	private final ElectionObserver observer;

	private final Executor executor;

	private final Object monitor = new Object();

	private boolean stopped;

	private boolean resignRequested;

	private boolean leading;

	private long leadingToken;

	private long leaseStartNanos;

	private @Nullable ConfirmingLock currentLock;

	private @Nullable CompletableFuture<?> currentTerm;

	private @Nullable Thread supervisor;

	LeaseCandidacy(KubernetesClient client, String namespace, String election, String candidate,
			ElectionTimings timings, ElectionObserver observer, Executor executor) {
		this.client = client;
		this.namespace = namespace;
		this.election = election;
		this.candidate = candidate;
		this.timings = timings;
		this.observer = observer;
		this.executor = executor;
	}

	void start() {
		this.supervisor = Thread.ofVirtual().name("lease-" + this.election).start(this::supervise);
	}

	@Override
	public void resign() {
		CompletableFuture<?> term;
		synchronized (this.monitor) {
			this.resignRequested = true;
			term = this.currentTerm;
		}
		if (term != null) {
			term.cancel(true);
		}
	}

	@Override
	public void stop() {
		CompletableFuture<?> term;
		synchronized (this.monitor) {
			if (this.stopped) {
				return;
			}
			this.stopped = true;
			term = this.currentTerm;
		}
		if (term != null) {
			term.cancel(true);
		}
		Thread thread = this.supervisor;
		if (thread != null) {
			try {
				thread.join(this.timings.renewDeadline());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void supervise() {
		while (!isStopped()) {
			ConfirmingLock lock = startTerm();
			boolean release = awaitTermEnd();
			endTerm(lock, release);
			if (!isStopped()) {
				sleepQuietly(afterTermPause());
			}
		}
	}

	private ConfirmingLock startTerm() {
		ConfirmingLock lock = new ConfirmingLock(new LeaseLock(this.namespace, this.election, this.candidate),
				this::confirmed);
		LeaderElector elector = new LeaderElector(this.client,
				new LeaderElectionConfigBuilder().withName(this.election)
					.withLeaseDuration(this.timings.leaseDuration())
					.withRenewDeadline(this.timings.renewDeadline())
					.withRetryPeriod(this.timings.retryPeriod())
					// released by ConfirmingLock.retire, after later writes are refused
					.withReleaseOnCancel(false)
					.withLock(lock)
					.withLeaderCallbacks(new LeaderCallbacks(() -> {
					}, () -> lost("fabric8 stopped leading"), this::newLeader))
					.build(),
				this.executor);
		synchronized (this.monitor) {
			this.currentLock = lock;
			this.currentTerm = elector.start();
		}
		return lock;
	}

	/**
	 * Waits for the term to end; returns whether leadership should be released in the
	 * Lease.
	 */
	private boolean awaitTermEnd() {
		CompletableFuture<?> term;
		synchronized (this.monitor) {
			term = this.currentTerm;
		}
		long tick = Math.max(50, this.timings.retryPeriod().toMillis() / 4);
		while (true) {
			try {
				term.get(tick, TimeUnit.MILLISECONDS);
				return false;
			}
			catch (TimeoutException ex) {
				if (renewOverdue()) {
					lost("no renewal confirmed within the renew deadline (" + this.timings.renewDeadline() + ")");
					term.cancel(true);
					return true;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return true;
			}
			catch (Exception ex) {
				// cancelled (stop, resign) or failed: either way this term is over
				return true;
			}
		}
	}

	private void endTerm(ConfirmingLock lock, boolean release) {
		synchronized (this.monitor) {
			this.currentLock = null;
			this.currentTerm = null;
		}
		lost(isStopped() ? "stopped" : "term ended");
		try {
			if (lock.retire(this.client, release)) {
				logger.info("Election '" + this.election + "': released the Lease");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Election '" + this.election + "': could not release the Lease (" + ex.getMessage()
					+ "); it lapses after " + this.timings.leaseDuration());
		}
	}

	private Duration afterTermPause() {
		synchronized (this.monitor) {
			if (this.resignRequested) {
				this.resignRequested = false;
				// long enough for the others, who retry every retry period (+20% jitter),
				// to take over
				return this.timings.retryPeriod().multipliedBy(2);
			}
		}
		return LeaseElectionBackend.jittered(this.timings.retryPeriod());
	}

	private void confirmed(ConfirmingLock lock, long token, long leaseStartNanos) {
		synchronized (this.monitor) {
			// a late answer to an earlier term's write must not revive it, and a write
			// accepted after its lease's renew deadline grants no time to lead
			if (this.stopped || this.resignRequested || lock != this.currentLock
					|| System.nanoTime() - leaseStartNanos > this.timings.renewDeadline().toNanos()) {
				return;
			}
			this.leaseStartNanos = leaseStartNanos;
			if (this.leading && this.leadingToken == token) {
				return;
			}
			this.leading = true;
			this.leadingToken = token;
			this.observer.observe(new LeaderObservation(this.candidate, token));
		}
	}

	private boolean renewOverdue() {
		synchronized (this.monitor) {
			return this.leading && System.nanoTime() - this.leaseStartNanos > this.timings.renewDeadline().toNanos();
		}
	}

	private void lost(String why) {
		synchronized (this.monitor) {
			if (!this.leading) {
				return;
			}
			this.leading = false;
			logger.info("Election '" + this.election + "': no longer leading (" + why + ")");
			this.observer.observe(LeaderObservation.nobody());
		}
	}

	private void newLeader(String leader) {
		if (this.candidate.equals(leader)) {
			return; // reported from the confirmed write instead
		}
		ConfirmingLock lock;
		synchronized (this.monitor) {
			lock = this.currentLock;
		}
		LeaderElectionRecord record = (lock != null) ? lock.lastSeen() : null;
		long token = (record != null && Objects.equals(record.getHolderIdentity(), leader))
				? ConfirmingLock.fencingToken(record) : 0;
		synchronized (this.monitor) {
			this.leading = false;
			this.observer.observe((leader == null || leader.isEmpty()) ? LeaderObservation.nobody()
					: new LeaderObservation(leader, token));
		}
	}

	private boolean isStopped() {
		synchronized (this.monitor) {
			return this.stopped;
		}
	}

	private void sleepQuietly(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
