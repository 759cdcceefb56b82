package dev.outrigger.kit.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.outrigger.kit.ContainerIdentity;
import dev.outrigger.kit.InstanceId;
import dev.outrigger.kit.lifecycle.Lifecycle;
import dev.outrigger.kit.lifecycle.ShutdownDrain;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class LifecycleAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class))
		.withPropertyValues("outrigger.lifecycle.exit-zero-on-sigterm=false");

	@Test
	void definesTheLifecycleAndAnInstanceId() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(Lifecycle.class).hasSingleBean(ShutdownDrain.class);
			assertThat(context.getBean(InstanceId.class).value()).isNotBlank();
		});
	}

	@Test
	void theUsersBeansWin() {
		Lifecycle lifecycle = new Lifecycle(List.of(), Clock.systemUTC(), Thread.ofVirtual().factory());
		this.contextRunner.withBean(InstanceId.class, () -> new InstanceId("replica-0"))
			.withBean(ContainerIdentity.class, () -> new ContainerIdentity("custom", "1.0"))
			.withBean(Lifecycle.class, () -> lifecycle)
			.withBean(ShutdownDrain.class, () -> new ShutdownDrain(lifecycle, Duration.ofSeconds(1)))
			.run((context) -> {
				assertThat(context).hasSingleBean(InstanceId.class).hasSingleBean(Lifecycle.class);
				assertThat(context.getBean(InstanceId.class).value()).isEqualTo("replica-0");
				assertThat(context.getBean(ContainerIdentity.class).pattern()).isEqualTo("custom");
				assertThat(context.getBean(Lifecycle.class)).isSameAs(lifecycle);
				assertThat(context).hasSingleBean(ShutdownDrain.class);
			});
	}

}
