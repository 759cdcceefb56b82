package dev.outrigger.kit.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LifecycleTests {

	private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

	@Test
	void startsInStartingAndIsNotReady() {
		Lifecycle lifecycle = lifecycle();
		assertThat(lifecycle.status().state()).isEqualTo(LifecycleState.STARTING);
		assertThat(lifecycle.isReady()).isFalse();
	}

	@Test
	void startedMovesToRunningAndBecomesReady() {
		Lifecycle lifecycle = running();
		assertThat(lifecycle.status().state()).isEqualTo(LifecycleState.RUNNING);
		assertThat(lifecycle.isReady()).isTrue();
	}

	@Test
	void pauseAndResumeCallParticipantsAndFlipReadiness() {
		Lifecycle lifecycle = running();
		assertThat(lifecycle.pause().state()).isEqualTo(LifecycleState.PAUSED);
		assertThat(lifecycle.isReady()).isFalse();
		assertThat(lifecycle.resume().state()).isEqualTo(LifecycleState.RUNNING);
		assertThat(lifecycle.isReady()).isTrue();
		assertThat(this.calls).containsExactly("a:pause", "b:pause", "a:resume", "b:resume");
	}

	@Test
	void pauseWhilePausedAndResumeWhileRunningChangeNothing() {
		Lifecycle lifecycle = running();
		Instant since = lifecycle.status().since();
		assertThat(lifecycle.resume().since()).isEqualTo(since);
		lifecycle.pause();
		Instant pausedSince = lifecycle.status().since();
		assertThat(lifecycle.pause().since()).isEqualTo(pausedSince);
		assertThat(this.calls).containsExactly("a:pause", "b:pause");
	}

	@Test
	void drainFromRunningStopsAfterEveryParticipantDrained() throws Exception {
		Lifecycle lifecycle = running();
		LifecycleStatus stopped = lifecycle.drain(Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
		assertThat(stopped.state()).isEqualTo(LifecycleState.STOPPED);
		assertThat(this.calls).containsExactlyInAnyOrder("a:drain", "b:drain");
		assertThat(lifecycle.isReady()).isFalse();
	}

	@Test
	void drainFromPausedAndFromStartingIsAllowed() throws Exception {
		Lifecycle paused = running();
		paused.pause();
		assertThat(paused.drain(Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS).state())
			.isEqualTo(LifecycleState.STOPPED);
		Lifecycle starting = lifecycle();
		assertThat(starting.drain(Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS).state())
			.isEqualTo(LifecycleState.STOPPED);
		starting.started();
		assertThat(starting.status().state()).isEqualTo(LifecycleState.STOPPED);
	}

	@Test
	void readinessIsFalseFromTheMomentDrainBegins() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		Lifecycle lifecycle = running(participant("slow", (deadline) -> release.await()));
		var drained = lifecycle.drain(Duration.ofSeconds(30));
		assertThat(lifecycle.status().state()).isEqualTo(LifecycleState.DRAINING);
		assertThat(lifecycle.isReady()).isFalse();
		release.countDown();
		assertThat(drained.get(5, TimeUnit.SECONDS).state()).isEqualTo(LifecycleState.STOPPED);
	}

	@Test
	void aSecondDrainJoinsTheFirst() {
		CountDownLatch release = new CountDownLatch(1);
		Lifecycle lifecycle = running(participant("slow", (deadline) -> release.await()));
		var first = lifecycle.drain(Duration.ofSeconds(30));
		var second = lifecycle.drain(Duration.ofSeconds(1));
		assertThat(second).isSameAs(first);
		release.countDown();
	}

	@Test
	void drainStopsAtTheDeadlineAndInterruptsASlowParticipant() throws Exception {
		AtomicBoolean interrupted = new AtomicBoolean();
		Lifecycle lifecycle = running(participant("stuck", (deadline) -> {
			try {
				Thread.sleep(Duration.ofMinutes(5));
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
				throw ex;
			}
		}), participant("quick", (deadline) -> this.calls.add("quick:drain")));
		LifecycleStatus stopped = lifecycle.drain(Duration.ofMillis(200)).get(30, TimeUnit.SECONDS);
		assertThat(stopped.state()).isEqualTo(LifecycleState.STOPPED);
		assertThat(this.calls).contains("quick:drain");
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
	}

	@Test
	void aParticipantThatFailsToDrainDoesNotStopTheOthers() throws Exception {
		Lifecycle lifecycle = running(participant("broken", (deadline) -> {
			throw new IllegalStateException("boom");
		}), participant("fine", (deadline) -> this.calls.add("fine:drain")));
		assertThat(lifecycle.drain(Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).state())
			.isEqualTo(LifecycleState.STOPPED);
		assertThat(this.calls).contains("fine:drain");
	}

	@Test
	void aParticipantThatIsNotReadyMakesTheContainerNotReady() {
		AtomicBoolean ready = new AtomicBoolean(true);
		LifecycleParticipant flaky = new LifecycleParticipant() {
			@Override
			public String name() {
				return "flaky";
			}

			@Override
			public Readiness readiness() {
				return ready.get() ? Readiness.ready("connected") : Readiness.notReady("backend unreachable");
			}
		};
		Lifecycle lifecycle = running(flaky);
		assertThat(lifecycle.isReady()).isTrue();
		ready.set(false);
		assertThat(lifecycle.isReady()).isFalse();
		assertThat(lifecycle.participantReadiness()).containsEntry("flaky", Readiness.notReady("backend unreachable"));
		ready.set(true);
		assertThat(lifecycle.isReady()).isTrue();
	}

	@Test
	void aReadinessCheckThatThrowsCountsAsNotReady() {
		LifecycleParticipant throwing = new LifecycleParticipant() {
			@Override
			public String name() {
				return "throwing";
			}

			@Override
			public Readiness readiness() {
				throw new IllegalStateException("no connection");
			}
		};
		Lifecycle lifecycle = running(throwing);
		assertThat(lifecycle.isReady()).isFalse();
		assertThat(lifecycle.participantReadiness().get("throwing").detail()).contains("no connection");
	}

	@ParameterizedTest
	@EnumSource(value = LifecycleState.class, names = { "STARTING", "DRAINING", "STOPPED" })
	void pauseIsIllegalOutsideRunning(LifecycleState state) {
		Lifecycle lifecycle = in(state);
		assertThatExceptionOfType(IllegalLifecycleTransitionException.class).isThrownBy(lifecycle::pause)
			.satisfies((ex) -> {
				assertThat(ex.from()).isEqualTo(state);
				assertThat(ex.to()).isEqualTo(LifecycleState.PAUSED);
			});
		assertThat(lifecycle.status().state()).isEqualTo(state);
	}

	@ParameterizedTest
	@EnumSource(value = LifecycleState.class, names = { "STARTING", "DRAINING", "STOPPED" })
	void resumeIsIllegalOutsidePausedAndRunning(LifecycleState state) {
		Lifecycle lifecycle = in(state);
		assertThatExceptionOfType(IllegalLifecycleTransitionException.class).isThrownBy(lifecycle::resume)
			.withMessageContaining("Cannot move from " + state + " to RUNNING");
		assertThat(lifecycle.status().state()).isEqualTo(state);
	}

	@Test
	void transitionTableMatchesTheContract() {
		assertThat(LifecycleState.STARTING.canMoveTo(LifecycleState.RUNNING)).isTrue();
		assertThat(LifecycleState.STARTING.canMoveTo(LifecycleState.PAUSED)).isFalse();
		assertThat(LifecycleState.RUNNING.canMoveTo(LifecycleState.STOPPED)).isFalse();
		assertThat(LifecycleState.PAUSED.canMoveTo(LifecycleState.RUNNING)).isTrue();
		assertThat(LifecycleState.DRAINING.canMoveTo(LifecycleState.RUNNING)).isFalse();
		assertThat(LifecycleState.STOPPED.canMoveTo(LifecycleState.DRAINING)).isFalse();
	}

	private Lifecycle in(LifecycleState state) {
		CountDownLatch never = new CountDownLatch(1);
		Lifecycle lifecycle = new Lifecycle(List.of(participant("held", (deadline) -> never.await())),
				Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), Thread.ofVirtual().factory());
		switch (state) {
			case STARTING -> {
			}
			case RUNNING -> lifecycle.started();
			case PAUSED -> {
				lifecycle.started();
				lifecycle.pause();
			}
			case DRAINING -> lifecycle.drain(Duration.ofMinutes(5));
			case STOPPED -> {
				never.countDown();
				lifecycle.drain(Duration.ofSeconds(5)).join();
			}
		}
		assertThat(lifecycle.status().state()).isEqualTo(state);
		return lifecycle;
	}

	private Lifecycle lifecycle(LifecycleParticipant... participants) {
		List<LifecycleParticipant> all = (participants.length > 0) ? List.of(participants)
				: List.of(recording("a"), recording("b"));
		return new Lifecycle(all, Clock.systemUTC(), Thread.ofVirtual().factory());
	}

	private Lifecycle running(LifecycleParticipant... participants) {
		Lifecycle lifecycle = lifecycle(participants);
		lifecycle.started();
		return lifecycle;
	}

	private LifecycleParticipant recording(String name) {
		return new LifecycleParticipant() {
			@Override
			public String name() {
				return name;
			}

			@Override
			public void pause() {
				LifecycleTests.this.calls.add(name + ":pause");
			}

			@Override
			public void resume() {
				LifecycleTests.this.calls.add(name + ":resume");
			}

			@Override
			public void drain(Duration deadline) {
				LifecycleTests.this.calls.add(name + ":drain");
			}
		};
	}

	private static LifecycleParticipant participant(String name, DrainAction drain) {
		return new LifecycleParticipant() {
			@Override
			public String name() {
				return name;
			}

			@Override
			public void drain(Duration deadline) throws Exception {
				drain.run(deadline);
			}
		};
	}

	@FunctionalInterface
	interface DrainAction {

		void run(Duration deadline) throws Exception;

	}

}
