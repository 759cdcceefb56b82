package dev.outrigger.election.kafka;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EpochRecordTests {

	@Test
	void termRoundTrips() {
		EpochRecord term = EpochRecord.began(42, "pod-a");
		assertThat(term.format()).isEqualTo("42,pod-a");
		assertThat(EpochRecord.parse(term.format())).isEqualTo(term);
	}

	@Test
	void releaseHasNoLeader() {
		assertThat(EpochRecord.released(7).format()).isEqualTo("7,");
		assertThat(EpochRecord.parse("7,")).isEqualTo(EpochRecord.released(7));
	}

	@Test
	void leaderMayContainCommas() {
		assertThat(EpochRecord.parse("3,a,b")).isEqualTo(EpochRecord.began(3, "a,b"));
	}

	@Test
	void anythingElseIsNotARecord() {
		assertThat(EpochRecord.parse(null)).isNull();
		assertThat(EpochRecord.parse("")).isNull();
		assertThat(EpochRecord.parse("pod-a")).isNull();
		assertThat(EpochRecord.parse(",pod-a")).isNull();
		assertThat(EpochRecord.parse("x,pod-a")).isNull();
		assertThat(EpochRecord.parse("0,pod-a")).isNull();
		assertThat(EpochRecord.parse("-1,pod-a")).isNull();
	}

}
