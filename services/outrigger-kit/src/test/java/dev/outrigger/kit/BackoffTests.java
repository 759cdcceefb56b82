package dev.outrigger.kit;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BackoffTests {

	@Test
	void eachWaitGrowsByTheMultiplierUpToTheMax() {
		Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 2.0);
		assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(500));
		assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(1));
		assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(2));
		assertThat(backoff.delay(7)).isEqualTo(Duration.ofSeconds(30));
		assertThat(backoff.delay(1_000_000)).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void attemptsBelowOneCountAsTheFirst() {
		Backoff backoff = Backoff.doubling(Duration.ofMillis(250), Duration.ofSeconds(30));
		assertThat(backoff.delay(0)).isEqualTo(Duration.ofMillis(250));
		assertThat(backoff.delay(-3)).isEqualTo(Duration.ofMillis(250));
	}

	@Test
	void aFractionalMultiplierAndAMaxBelowTheInitialWait() {
		Backoff slow = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 1.5);
		assertThat(slow.delay(2)).isEqualTo(Duration.ofMillis(1500));
		assertThat(slow.delay(3)).isEqualTo(Duration.ofMillis(2250));
		assertThat(new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0).delay(1))
			.isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void jitterOnlyShortensAWaitAndByAtMostItsShare() {
		Backoff backoff = Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(8)).withJitter(0.5);
		SplittableRandom random = new SplittableRandom(42);
		for (int attempt = 1; attempt <= 10; attempt++) {
			Duration full = Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(8)).delay(attempt);
			for (int i = 0; i < 100; i++) {
				assertThat(backoff.delay(attempt, random)).isBetween(full.dividedBy(2), full);
			}
		}
	}

	@Test
	void invalidShapesAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Backoff.doubling(Duration.ZERO, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> Backoff.doubling(Duration.ofSeconds(1), Duration.ZERO));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Double.NaN));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(2)).withJitter(1.0));
	}

}
