package dev.outrigger.scatter.gather;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps backups at a share of primary calls, as Finagle's RetryBudget and gRPC's retry
 * throttling do: every primary call deposits the share (5 % of a backup), every backup
 * withdraws a whole one, and the balance holds at most {@value #BURST} backups. So over
 * any stretch, backups are at most share × primaries + {@value #BURST} — during a total
 * outage too, when every call would want one.
 */
final class HedgeBudget {

	/** Backups the balance holds at most (and starts with). */
	static final int BURST = 10;

	private static final long ONE = 1_000_000;

	private final long deposit;

	private final AtomicLong balance = new AtomicLong(BURST * ONE);

	/**
	 * @param share backups per primary call, such as 0.05
	 */
	HedgeBudget(double share) {
		this.deposit = Math.round(share * ONE);
	}

	void deposit() {
		this.balance.accumulateAndGet(this.deposit, (now, add) -> Math.min(BURST * ONE, now + add));
	}

	/** Gives back a backup taken but not sent (no replica could take it). */
	void refund() {
		this.balance.accumulateAndGet(ONE, (now, add) -> Math.min(BURST * ONE, now + add));
	}

	/** Takes one backup from the balance, or nothing (false) when it has less. */
	boolean tryWithdraw() {
		while (true) {
			long now = this.balance.get();
			if (now < ONE) {
				return false;
			}
			if (this.balance.compareAndSet(now, now - ONE)) {
				return true;
			}
		}
	}

}
