package dev.outrigger.work.status;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link KafkaWrites}: a confirmed write gives its result, a failed one a
 * {@link StatusUnavailableException}, and a waiter that is told to give up stops waiting.
 */
class KafkaWritesTests {

	@Test
	void aConfirmedWriteGivesItsResult() {
		assertThat(KafkaWrites.confirm(CompletableFuture.completedFuture("sent"))).isEqualTo("sent");
	}

	@Test
	void aWriteKafkaRefusedIsUnavailableWithKafkasReason() {
		CompletableFuture<String> refused = CompletableFuture
			.failedFuture(new NotEnoughReplicasException("not enough replicas"));

		assertThatExceptionOfType(StatusUnavailableException.class).isThrownBy(() -> KafkaWrites.confirm(refused))
			.withMessage("Kafka did not take a write: not enough replicas");
	}

	@Test
	void aRecordTooLargeForKafkaSaysSoForRetryingCannotHelp() {
		CompletableFuture<String> refused = CompletableFuture.failedFuture(new RecordTooLargeException("too large"));

		assertThatExceptionOfType(RecordTooLargeForKafkaException.class).isThrownBy(() -> KafkaWrites.confirm(refused))
			.withMessage("Kafka refused a record as too large: too large");
	}

	@Test
	void aWaiterToldToGiveUpStopsWaitingForAWriteThatNeverCompletes() throws Exception {
		CompletableFuture<String> pending = new CompletableFuture<>();
		AtomicBoolean abandoned = new AtomicBoolean();
		CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
			try {
				KafkaWrites.confirm(pending, abandoned::get);
				return null;
			}
			catch (RuntimeException ex) {
				return ex;
			}
		});
		Thread.sleep(300);
		assertThat(outcome).as("still waiting before it is told to give up").isNotDone();

		abandoned.set(true);

		assertThat(outcome.get()).isInstanceOf(StatusUnavailableException.class)
			.hasMessage("stopped waiting for Kafka to confirm a write");
	}

	@Test
	void aWaiterToldToGiveUpStillTakesAWriteThatIsAlreadyConfirmed() {
		assertThat(KafkaWrites.confirm(CompletableFuture.completedFuture("sent"), () -> true)).isEqualTo("sent");
	}

}
