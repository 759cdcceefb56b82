package dev.outrigger.scatter.autoconfigure;

import java.time.Duration;
import java.util.Optional;

import dev.outrigger.scatter.ScatterProperties;
import dev.outrigger.scatter.api.ScatterHandler;
import dev.outrigger.scatter.gather.BufferBudget;
import dev.outrigger.scatter.gather.LeafBreakers;
import dev.outrigger.scatter.gather.LeafClient;
import dev.outrigger.scatter.gather.Route;
import dev.outrigger.scatter.gather.Routes;
import dev.outrigger.scatter.gather.Scatter;
import dev.outrigger.scatter.gather.ScatterLifecycle;
import dev.outrigger.scatter.gather.ScatterMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Wires the root: the routes from the settings, the leaf client, the scatter engine, its
 * lifecycle, and one router function per route (the longest prefix first) beside the
 * root's own paths, which no route shadows.
 */
@AutoConfiguration
@EnableConfigurationProperties(ScatterProperties.class)
public final class ScatterAutoConfiguration {

	/**
	 * How often the root drops the circuits, latencies and meters of leaves no route
	 * lists any more.
	 */
	static final Duration FORGET_DEPARTED_EVERY = Duration.ofMinutes(1);

	ScatterAutoConfiguration() {
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	Routes scatterRoutes(ScatterProperties properties, Environment environment, JsonMapper mapper) {
		return RouteAssembly.routes(properties, environment, mapper);
	}

	@Bean
	@ConditionalOnMissingBean
	LeafBreakers leafBreakers() {
		return new LeafBreakers();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	LeafClient leafClient(ScatterProperties properties) {
		return new LeafClient(properties.connectTimeout());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	Scatter scatter(LeafClient client, LeafBreakers breakers, ScatterProperties properties, MeterRegistry registry,
			Routes routes) {
		Scatter scatter = new Scatter(client, breakers, new BufferBudget(properties.maxBuffered().toBytes()),
				new ScatterMetrics(registry));
		scatter.forgetDepartedEvery(FORGET_DEPARTED_EVERY, routes::all);
		return scatter;
	}

	@Bean
	@ConditionalOnMissingBean
	ScatterLifecycle scatterLifecycle(Routes routes) {
		return new ScatterLifecycle(routes);
	}

	@Bean
	@ConditionalOnMissingBean
	ScatterHandler scatterHandler(Scatter scatter, ScatterLifecycle lifecycle, JsonMapper mapper,
			ScatterProperties properties) {
		return new ScatterHandler(scatter, lifecycle, mapper, properties.maxRequestBytes().toBytes());
	}

	@Bean
	RouterFunction<ServerResponse> scatterRouterFunction(Routes routes, ScatterHandler handler) {
		if (routes.all().isEmpty()) {
			return (request) -> Optional.empty();
		}
		RouterFunctions.Builder builder = RouterFunctions.route();
		for (Route route : routes.all()) {
			RequestPredicate takes = (request) -> route.matches(request.path()) && !reserved(request.path());
			builder.route(takes, (request) -> handler.handle(route, request));
		}
		return builder.build();
	}

	private static boolean reserved(String path) {
		for (String own : RouteAssembly.RESERVED) {
			if (path.equals(own) || path.startsWith(own + "/")) {
				return true;
			}
		}
		return false;
	}

}
