package dev.outrigger.election.kubernetes;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import org.jspecify.annotations.Nullable;

/**
 * A lock that tells when the API server confirmed that this candidate holds the lease.
 * fabric8's own "started leading" callback can fire before its write succeeded (fabric8
 * #7350), so the backend trusts only a successful create or update written with our
 * identity. Also remembers the last record read, so followers learn the leader's fencing
 * token without another request.
 */
final class ConfirmingLock implements Lock {

	private final Lock delegate;

	private final Confirmations confirmations;

	private volatile @Nullable LeaderElectionRecord lastSeen;

	private boolean retired;

	ConfirmingLock(Lock delegate, Confirmations confirmations) {
		this.delegate = delegate;
		this.confirmations = confirmations;
	}

	@Override
	public LeaderElectionRecord get(KubernetesClient client) {
		LeaderElectionRecord record = this.delegate.get(client);
		this.lastSeen = record;
		return record;
	}

	@Override
	public synchronized void create(KubernetesClient client, LeaderElectionRecord record) {
		requireCurrent();
		long sent = System.nanoTime();
		Instant sentAt = Instant.now();
		this.delegate.create(client, record);
		confirmed(record, leaseStartNanos(record, sent, sentAt));
	}

	@Override
	public synchronized void update(KubernetesClient client, LeaderElectionRecord record) {
		requireCurrent();
		long sent = System.nanoTime();
		Instant sentAt = Instant.now();
		this.delegate.update(client, record);
		confirmed(record, leaseStartNanos(record, sent, sentAt));
	}

	/**
	 * Ends this lock's term: refuses every later write (an elector whose future was
	 * cancelled can still have a renewal scheduled, which would silently take the Lease
	 * back), and, if asked and this candidate still holds the Lease, releases it with an
	 * empty holder so the next candidate need not wait for it to expire.
	 * @return whether the Lease was released
	 */
	synchronized boolean retire(KubernetesClient client, boolean release) {
		this.retired = true;
		if (!release) {
			return false;
		}
		LeaderElectionRecord current = this.delegate.get(client);
		if (current == null || !identity().equals(current.getHolderIdentity())) {
			return false;
		}
		ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
		this.delegate.update(client,
				new LeaderElectionRecord("", Duration.ofSeconds(1), now, now, current.getLeaderTransitions()));
		return true;
	}

	private void requireCurrent() {
		if (this.retired) {
			throw new IllegalStateException(describe() + ": this term is over");
		}
	}

	private void confirmed(LeaderElectionRecord record, long leaseStartNanos) {
		this.lastSeen = record;
		if (identity().equals(record.getHolderIdentity())) {
			this.confirmations.confirmed(this, fencingToken(record), leaseStartNanos);
		}
	}

	/**
	 * When, on {@link System#nanoTime()}'s scale, the lease a write grants began: at the
	 * record's renew time, which is what other candidates count the lease from. fabric8
	 * stamps it before it reads the Lease, so a slow read puts it well before the write
	 * was sent; counting from the send would let this candidate lead on after the others
	 * may take over.
	 */
	static long leaseStartNanos(LeaderElectionRecord record, long sentNanos, Instant sentAt) {
		Duration stampedBefore = Duration.between(record.getRenewTime().toInstant(), sentAt);
		return stampedBefore.isNegative() ? sentNanos : sentNanos - stampedBefore.toNanos();
	}

	/**
	 * The fencing token of whoever holds {@code record}: its transitions, counted from 1.
	 */
	static long fencingToken(LeaderElectionRecord record) {
		return record.getLeaderTransitions() + 1L;
	}

	@Nullable LeaderElectionRecord lastSeen() {
		return this.lastSeen;
	}

	@Override
	public String identity() {
		return this.delegate.identity();
	}

	@Override
	public String describe() {
		return this.delegate.describe();
	}

	/** Told of every write the API server accepted with this candidate as holder. */
	@FunctionalInterface
	interface Confirmations {

		/**
		 * @param lock the lock that wrote
		 * @param fencingToken the token of the term the write belongs to
		 * @param leaseStartNanos {@link System#nanoTime()} when the lease the write
		 * grants began (its renew time, at the latest when the write was sent): the term
		 * is safe until the renew deadline after this, whatever the read and write took
		 */
		void confirmed(ConfirmingLock lock, long fencingToken, long leaseStartNanos);

	}

}
