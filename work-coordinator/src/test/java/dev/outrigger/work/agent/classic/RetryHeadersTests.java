package dev.outrigger.work.agent.classic;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RetryHeaders}: the attempt and due time a retry record carries.
 */
class RetryHeadersTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void whatIsWrittenIsReadBackReplacingEarlierRetryHeaders() {
		Headers headers = new RecordHeaders();
		headers.add("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8));
		new RetryHeaders(2, NOW).writeTo(headers);

		new RetryHeaders(3, NOW.plusSeconds(4)).writeTo(headers);

		assertThat(RetryHeaders.read(headers)).isEqualTo(new RetryHeaders(3, NOW.plusSeconds(4)));
		assertThat(headers.headers(RetryHeaders.ATTEMPT)).hasSize(1);
		assertThat(headers.lastHeader("traceparent")).isNotNull();
	}

	@Test
	void aRecordWithoutRetryHeadersIsAFirstAttemptThatIsDue() {
		RetryHeaders read = RetryHeaders.read(new RecordHeaders());

		assertThat(read.attempt()).isEqualTo(1);
		assertThat(read.waitFrom(NOW)).isZero();
	}

	@Test
	void unreadableRetryHeadersCountAsAFirstAttemptThatIsDue() {
		Headers headers = new RecordHeaders();
		headers.add(RetryHeaders.ATTEMPT, "two".getBytes(StandardCharsets.UTF_8));
		headers.add(RetryHeaders.DUE, "-".getBytes(StandardCharsets.UTF_8));

		assertThat(RetryHeaders.read(headers)).isEqualTo(RetryHeaders.FIRST);
	}

	@Test
	void theWaitIsWhatIsLeftUntilTheDueTime() {
		RetryHeaders retry = new RetryHeaders(2, NOW.plusMillis(1500));

		assertThat(retry.waitFrom(NOW)).isEqualTo(Duration.ofMillis(1500));
		assertThat(retry.waitFrom(NOW.plusSeconds(2))).isZero();
	}

}
