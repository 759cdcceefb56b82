package dev.outrigger.scatter.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.outrigger.kit.config.InvalidSettingException;
import dev.outrigger.scatter.Hedging;
import dev.outrigger.scatter.discovery.StaticLeaves;
import dev.outrigger.scatter.gather.Route;
import dev.outrigger.scatter.gather.Routes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the settings become routes, and what an operator reads when one is wrong.
 */
class ScatterAutoConfigurationTests {

	private final WebApplicationContextRunner contexts = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ScatterAutoConfiguration.class))
		.withBean(JsonMapper.class, () -> JsonMapper.builder().build())
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@TempDir
	Path directory;

	@Test
	void oneRouteFromTheVariablesWithTheDocumentedDefaults() {
		this.contexts.withPropertyValues("outrigger.scatter.leaves=http://127.0.0.1:9001,http://127.0.0.1:9002")
			.run((context) -> {
				Route route = context.getBean(Routes.class).all().getFirst();
				assertThat(route.prefix()).isEqualTo("/");
				assertThat(route.merge().name()).isEqualTo("concat");
				assertThat(route.directory().shards()).hasSize(2);
				assertThat(route.timeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(route.maxTimeout()).isEqualTo(Duration.ofSeconds(30));
				assertThat(route.hedging().mode()).isEqualTo(Hedging.Mode.P95);
				assertThat(route.hedging().budget()).isEqualTo(0.05);
				assertThat(route.partialResults()).isTrue();
				assertThat(route.report()).isEqualTo(Route.ReportPlacement.AUTO);
				assertThat(route.forwardHeaders()).contains("authorization", "traceparent");
				assertThat(route.maxLeafBytes()).isEqualTo(1024 * 1024);
			});
	}

	@Test
	void withoutLeavesTheRootDoesNotStartAndSaysWhichVariableToSet() {
		this.contexts.run((context) -> failure(context).isInstanceOf(InvalidSettingException.class)
			.hasMessageContaining("OUTRIGGER_SCATTER_LEAVES=\"\" is not allowed"));
	}

	@Test
	void aBadSettingIsNamedByItsVariable() {
		this.contexts.withPropertyValues("outrigger.scatter.leaves=http://a:1", "outrigger.scatter.merge=topk")
			.run((context) -> failure(context).hasMessageContaining("OUTRIGGER_SCATTER_MERGE_FIELD"));
		this.contexts.withPropertyValues("outrigger.scatter.leaves=http://a:1", "outrigger.scatter.prefix=/actuator")
			.run((context) -> failure(context).hasMessageContaining("OUTRIGGER_SCATTER_PREFIX=\"/actuator\""));
		this.contexts.withPropertyValues("outrigger.scatter.leaves=http://a:1", "outrigger.scatter.hedge-delay=soon")
			.run((context) -> failure(context).hasMessageContaining("OUTRIGGER_SCATTER_HEDGE_DELAY=\"soon\""));
		this.contexts.withPropertyValues("outrigger.scatter.leaves=ftp://a", "outrigger.scatter.timeout=1s")
			.run((context) -> failure(context).hasMessageContaining("OUTRIGGER_SCATTER_LEAVES=\"ftp://a\""));
		this.contexts
			.withPropertyValues("outrigger.scatter.leaves=http://a:1", "outrigger.scatter.forward-headers=Host")
			.run((context) -> failure(context).hasMessageContaining("OUTRIGGER_SCATTER_FORWARD_HEADERS=\"host\""));
		this.contexts
			.withPropertyValues("outrigger.scatter.leaves=http://a:1", "outrigger.scatter.timeout=5s",
					"outrigger.scatter.max-timeout=1s")
			.run((context) -> failure(context).hasMessageContaining("OUTRIGGER_SCATTER_MAX_TIMEOUT"));
		this.contexts
			.withPropertyValues("outrigger.scatter.leaves=http://a:1,http://b:1", "outrigger.scatter.merge=quorum",
					"outrigger.scatter.merge-quorum=3")
			.run((context) -> failure(context).hasMessageContaining("OUTRIGGER_SCATTER_MERGE_QUORUM=\"3\"")
				.hasMessageContaining("at most the route's 2 shards"));
	}

	@Test
	void aRoutesFileGivesEveryRouteAndNamesTheKeyOfABadOne() throws Exception {
		Path good = Files.writeString(this.directory.resolve("good.yml"), """
				routes:
				  - prefix: /search
				    leaves: dns:http://localhost:8080
				    merge: topk
				    merge-path: /hits
				    merge-field: /score
				    timeout: 500ms
				  - prefix: /count
				    leaves: http://127.0.0.1:9001|http://127.0.0.1:9002
				    merge: sum
				    hedge-delay: 20ms
				    partial-results: false
				""");
		this.contexts.withPropertyValues("outrigger.scatter.config=" + good).run((context) -> {
			Routes routes = context.getBean(Routes.class);
			assertThat(routes.match("/search/x").orElseThrow().timeout()).isEqualTo(Duration.ofMillis(500));
			Route count = routes.match("/count").orElseThrow();
			assertThat(count.merge().name()).isEqualTo("sum");
			assertThat(count.hedging().delay()).isEqualTo(Duration.ofMillis(20));
			assertThat(count.partialResults()).isFalse();
			assertThat(count.directory().shards().getFirst().replicas()).hasSize(2);
			assertThat(routes.match("/other")).isEmpty();
		});
		Path bad = Files.writeString(this.directory.resolve("bad.yml"), """
				routes:
				  - leaves: http://127.0.0.1:9001
				    timeout: forever
				""");
		this.contexts.withPropertyValues("outrigger.scatter.config=" + bad)
			.run((context) -> failure(context).hasMessageContaining("OUTRIGGER_SCATTER_CONFIG")
				.hasMessageContaining("routes[0].timeout"));
		Path twice = Files.writeString(this.directory.resolve("twice.yml"), """
				routes:
				  - prefix: /a
				    leaves: http://127.0.0.1:9001
				  - prefix: /a
				    leaves: http://127.0.0.1:9002
				""");
		this.contexts.withPropertyValues("outrigger.scatter.config=" + twice)
			.run((context) -> failure(context).hasMessageContaining("two routes have the prefix /a"));
		this.contexts
			.withPropertyValues("outrigger.scatter.config=" + good, "outrigger.scatter.leaves=http://127.0.0.1:9")
			.run((context) -> failure(context).hasMessageContaining("OUTRIGGER_SCATTER_LEAVES")
				.hasMessageContaining("unset when OUTRIGGER_SCATTER_CONFIG names a routes file"));
		Path misspelled = Files.writeString(this.directory.resolve("misspelled.yml"), """
				routes:
				  - leaves: http://127.0.0.1:9001
				    partial-result: false
				""");
		this.contexts.withPropertyValues("outrigger.scatter.config=" + misspelled)
			.run((context) -> failure(context).hasMessageContaining("routes[0].partial-result"));
		this.contexts.withPropertyValues("outrigger.scatter.config=" + this.directory.resolve("missing.yml"))
			.run((context) -> failure(context).hasMessageContaining("expected a readable YAML file"));
	}

	@Test
	void aUsersRoutesWin() {
		Routes mine = new Routes(java.util.List.of());
		this.contexts.withBean(Routes.class, () -> mine)
			.run((context) -> assertThat(context.getBean(Routes.class)).isSameAs(mine));
		assertThat(new StaticLeaves(java.util.List.of()).problem()).contains("names no leaves");
	}

	private static AbstractThrowableAssert<?, ? extends Throwable> failure(AssertableWebApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable cause = context.getStartupFailure();
		while (cause.getCause() != null && !(cause instanceof InvalidSettingException)) {
			cause = cause.getCause();
		}
		return assertThat(cause);
	}

}
