package dev.outrigger.election.standalone;

import java.util.concurrent.atomic.AtomicLong;

import dev.outrigger.election.Candidacy;
import dev.outrigger.election.ElectionBackend;
import dev.outrigger.election.ElectionObserver;
import dev.outrigger.election.LeaderObservation;

/**
 * One replica, no store: this candidate always leads, from token 1. For local
 * development.
 */
public final class StandaloneBackend implements ElectionBackend {

	@Override
	public String name() {
		return "standalone";
	}

	@Override
	public Candidacy campaign(String election, String candidate, ElectionObserver observer) {
		AtomicLong token = new AtomicLong(1);
		observer.observe(new LeaderObservation(candidate, token.get()));
		return new Candidacy() {
			@Override
			public void resign() {
				// nobody else can lead: step down and take a new term at once
				observer.observe(LeaderObservation.nobody());
				observer.observe(new LeaderObservation(candidate, token.incrementAndGet()));
			}

			@Override
			public void stop() {
				observer.observe(LeaderObservation.nobody());
			}
		};
	}

}
