package dev.outrigger.kit.autoconfigure;

import java.time.Clock;

import dev.outrigger.kit.ContainerIdentity;
import dev.outrigger.kit.InstanceId;
import dev.outrigger.kit.KitProperties;
import dev.outrigger.kit.lifecycle.ExitZeroOnSigterm;
import dev.outrigger.kit.lifecycle.Lifecycle;
import dev.outrigger.kit.lifecycle.LifecycleHealthIndicator;
import dev.outrigger.kit.lifecycle.LifecycleMetrics;
import dev.outrigger.kit.lifecycle.LifecycleParticipant;
import dev.outrigger.kit.lifecycle.ShutdownDrain;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * The lifecycle every container shares: the state machine, its participants, readiness,
 * the state metric, and the drain on shutdown.
 */
@AutoConfiguration
@EnableConfigurationProperties(KitProperties.class)
public final class LifecycleAutoConfiguration {

	LifecycleAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	ContainerIdentity containerIdentity(KitProperties properties, ObjectProvider<BuildProperties> build) {
		BuildProperties buildProperties = build.getIfAvailable();
		String version = (buildProperties != null && buildProperties.getVersion() != null)
				? buildProperties.getVersion() : "unknown";
		return new ContainerIdentity(properties.pattern(), version);
	}

	@Bean
	@ConditionalOnMissingBean
	InstanceId instanceId() {
		return InstanceId.detect();
	}

	@Bean
	@ConditionalOnMissingBean
	Lifecycle lifecycle(ObjectProvider<LifecycleParticipant> participants) {
		return new Lifecycle(participants.orderedStream().toList(), Clock.systemUTC(),
				Thread.ofVirtual().name("outrigger-drain-", 0).factory());
	}

	// listeners back off by name: their type, ApplicationListener<ApplicationReadyEvent>,
	// is shared
	@Bean
	@ConditionalOnMissingBean(name = "lifecycleStartedListener")
	ApplicationListener<ApplicationReadyEvent> lifecycleStartedListener(Lifecycle lifecycle) {
		return (event) -> lifecycle.started();
	}

	@Bean
	@ConditionalOnMissingBean
	ShutdownDrain shutdownDrain(Lifecycle lifecycle, KitProperties properties) {
		return new ShutdownDrain(lifecycle, properties.lifecycle().drainTimeout());
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "outrigger.lifecycle.exit-zero-on-sigterm", matchIfMissing = true)
	@ConditionalOnMissingBean(name = "exitZeroOnSigtermInstaller")
	ApplicationListener<ApplicationReadyEvent> exitZeroOnSigtermInstaller() {
		return (event) -> ExitZeroOnSigterm.install();
	}

	@Bean
	@ConditionalOnMissingBean
	LifecycleHealthIndicator lifecycleHealthIndicator(Lifecycle lifecycle) {
		return new LifecycleHealthIndicator(lifecycle);
	}

	@Bean
	@ConditionalOnMissingBean
	LifecycleMetrics lifecycleMetrics(Lifecycle lifecycle) {
		return new LifecycleMetrics(lifecycle);
	}

}
