package dev.outrigger.election.kafka;

import java.time.Duration;

import dev.outrigger.election.ElectionTimings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GroupTimingsTests {

	private static final ElectionTimings DEFAULTS = new ElectionTimings(Duration.ofSeconds(15), Duration.ofSeconds(10),
			Duration.ofSeconds(2));

	@Test
	void leaseWithinTheBrokersBoundsIsTheSessionTimeout() {
		GroupTimings timings = GroupTimings.withDefaultBounds(DEFAULTS);
		assertThat(timings.sessionTimeout()).isEqualTo(Duration.ofSeconds(15));
		assertThat(timings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
		assertThat(timings.giveUpAfter()).isEqualTo(Duration.ofSeconds(10));
		assertThat(timings.pollInterval()).isEqualTo(Duration.ofMillis(100));
		assertThat(timings.maxPollInterval()).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void leaseBelowTheBrokersMinimumIsRaisedAndTheLeaderStillGivesUpAtTheRenewDeadline() {
		GroupTimings timings = GroupTimings.withDefaultBounds(
				new ElectionTimings(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500)));
		assertThat(timings.sessionTimeout()).isEqualTo(Duration.ofSeconds(6));
		assertThat(timings.giveUpAfter()).isEqualTo(Duration.ofSeconds(2));
		assertThat(timings.heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void leaseAboveTheBrokersMaximumIsLoweredAndTheLeaderGivesUpSoonerBySoMuch() {
		GroupTimings timings = GroupTimings.of(DEFAULTS, Duration.ofSeconds(6), Duration.ofSeconds(12));
		assertThat(timings.sessionTimeout()).isEqualTo(Duration.ofSeconds(12));
		assertThat(timings.giveUpAfter()).isEqualTo(Duration.ofSeconds(7));
		assertThat(timings.giveUpAfter()).isLessThan(timings.sessionTimeout());
	}

	@Test
	void heartbeatStaysBelowAThirdOfTheSession() {
		GroupTimings timings = GroupTimings.of(
				new ElectionTimings(Duration.ofSeconds(3), Duration.ofMillis(2900), Duration.ofMillis(1300)),
				Duration.ofMillis(500), Duration.ofMinutes(30));
		assertThat(timings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
	}

}
