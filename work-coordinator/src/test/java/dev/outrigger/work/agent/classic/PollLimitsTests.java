package dev.outrigger.work.agent.classic;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link PollLimits}: {@code max.poll.interval.ms} covers a whole poll of items at their
 * timeout.
 */
class PollLimitsTests {

	@Test
	void withoutSettingsTenRecordsAPollAndTheirTimeoutsPlusAMinute() {
		Map<String, Object> settings = new HashMap<>();

		PollLimits limits = PollLimits.applyTo(settings, Duration.ofSeconds(30));

		assertThat(limits).isEqualTo(new PollLimits(10, Duration.ofMinutes(6), false));
		assertThat(settings).containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10)
			.containsEntry(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 360_000);
	}

	@Test
	void aConfiguredIntervalTooShortForTheItemsIsRaised() {
		Map<String, Object> settings = new HashMap<>(Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "5000"));

		PollLimits limits = PollLimits.applyTo(settings, Duration.ofSeconds(30));

		assertThat(limits.raised()).isTrue();
		assertThat(settings).containsEntry(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 360_000);
	}

	@Test
	void aLongerConfiguredIntervalAndConfiguredRecordsAreKept() {
		Map<String, Object> settings = new HashMap<>(Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "900000",
				ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2"));

		PollLimits limits = PollLimits.applyTo(settings, Duration.ofSeconds(30));

		assertThat(limits).isEqualTo(new PollLimits(2, Duration.ofMinutes(15), false));
	}

	@Test
	void theIntervalStaysWithinWhatKafkaTakes() {
		PollLimits limits = PollLimits.applyTo(new HashMap<>(), Duration.ofDays(30));

		assertThat(limits.maxInterval().toMillis()).isEqualTo(Integer.MAX_VALUE);
	}

	@Test
	void aSettingThatIsNotANumberIsRejectedByName() {
		Map<String, Object> settings = new HashMap<>(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "ten"));

		assertThatIllegalArgumentException().isThrownBy(() -> PollLimits.applyTo(settings, Duration.ofSeconds(30)))
			.withMessageContaining("max.poll.records=ten");
	}

}
