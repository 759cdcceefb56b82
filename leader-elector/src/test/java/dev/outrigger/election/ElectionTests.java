package dev.outrigger.election;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ElectionTests {

	private final Election election = new Election("default", "me", "test", Clock.systemUTC());

	@Test
	void reportsLeadershipOnlyForThisCandidate() {
		this.election.observe(new LeaderObservation("other", 4));
		assertThat(this.election.state().isLeader()).isFalse();
		assertThat(this.election.state().leader()).isEqualTo("other");
		this.election.observe(new LeaderObservation("me", 5));
		assertThat(this.election.state().isLeader()).isTrue();
		assertThat(this.election.state().fencingToken()).isEqualTo(5);
	}

	@Test
	void listenersSeeTheCurrentStateThenEveryChangeInOrderAndNoRepeats() {
		List<String> seen = new CopyOnWriteArrayList<>();
		this.election.listen((state) -> seen.add(state.leader() + "/" + state.fencingToken()));
		this.election.observe(new LeaderObservation("a", 1));
		this.election.observe(new LeaderObservation("a", 1));
		this.election.observe(LeaderObservation.nobody());
		this.election.observe(new LeaderObservation("me", 2));
		assertThat(seen).containsExactly("null/0", "a/1", "null/0", "me/2");
	}

	@Test
	void aLongPollAnswersAtOnceWhenTheTokenAlreadyDiffers() throws Exception {
		this.election.observe(new LeaderObservation("a", 7));
		assertThat(this.election.awaitChange(6, Duration.ofSeconds(30)).fencingToken()).isEqualTo(7);
	}

	@Test
	void aLongPollAnswersOnTheNextChange() throws Exception {
		this.election.observe(new LeaderObservation("a", 7));
		CompletableFuture<LeaderState> poll = CompletableFuture.supplyAsync(() -> {
			try {
				return this.election.awaitChange(7, Duration.ofSeconds(30));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		Thread.sleep(200);
		assertThat(poll).isNotDone();
		this.election.observe(new LeaderObservation("me", 8));
		assertThat(poll.get().fencingToken()).isEqualTo(8);
		assertThat(poll.get().isLeader()).isTrue();
	}

	@Test
	void aLongPollAnswersAtTheTimeoutWithTheCurrentState() throws Exception {
		this.election.observe(new LeaderObservation("a", 7));
		assertThat(this.election.awaitChange(7, Duration.ofMillis(100)).leader()).isEqualTo("a");
	}

}
