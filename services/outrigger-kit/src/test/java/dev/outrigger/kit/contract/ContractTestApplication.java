package dev.outrigger.kit.contract;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.outrigger.kit.lifecycle.LifecycleParticipant;
import dev.outrigger.kit.lifecycle.Readiness;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The smallest application on the kit, with one participant whose readiness a test can
 * switch.
 */
@SpringBootApplication
public class ContractTestApplication {

	@Bean
	SwitchableParticipant switchableParticipant() {
		return new SwitchableParticipant();
	}

	static class SwitchableParticipant implements LifecycleParticipant {

		final AtomicBoolean ready = new AtomicBoolean(true);

		@Override
		public String name() {
			return "switchable";
		}

		@Override
		public Readiness readiness() {
			return this.ready.get() ? Readiness.ready("backend reachable") : Readiness.notReady("backend unreachable");
		}

	}

}
