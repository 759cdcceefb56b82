package dev.outrigger.election;

/**
 * One running campaign.
 */
public interface Candidacy {

	/**
	 * Step down now if leading; keep campaigning, so this candidate may win again later.
	 */
	void resign();

	/**
	 * Give up leadership (release it in the store so the next leader starts at once) and
	 * stop campaigning. Idempotent; returns within the renew deadline.
	 */
	void stop();

}
