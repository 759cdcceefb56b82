package dev.outrigger.scatter.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import dev.outrigger.kit.config.InvalidSettingException;
import dev.outrigger.kit.config.Settings;
import dev.outrigger.scatter.Hedging;
import dev.outrigger.scatter.LeafDirectory;
import dev.outrigger.scatter.RouteProperties;
import dev.outrigger.scatter.ScatterProperties;
import dev.outrigger.scatter.discovery.LeafList;
import dev.outrigger.scatter.discovery.StaticLeaves;
import dev.outrigger.scatter.gather.Route;
import dev.outrigger.scatter.gather.Routes;
import dev.outrigger.scatter.merge.InvalidMergeSettingException;
import dev.outrigger.scatter.merge.MergeStrategy;
import dev.outrigger.scatter.merge.Merges;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * Turns the settings into routes: one from the {@code OUTRIGGER_SCATTER_*} variables, or
 * every entry of {@code routes:} in the file {@code OUTRIGGER_SCATTER_CONFIG} names.
 * Every check runs here, before the root takes a request; a failure names the variable
 * (or the file and the entry's key) and what is allowed.
 */
final class RouteAssembly {

	/** Paths of the root's own, which no route may take. */
	static final List<String> RESERVED = List.of("/livez", "/readyz", "/actuator", "/lifecycle", "/routes", "/error");

	/**
	 * Headers the leaf calls set themselves, that belong to one hop only, or that would
	 * make a leaf answer in a form the merges cannot read (a compressed body).
	 */
	private static final Set<String> NOT_FORWARDABLE = Set.of("accept-encoding", "connection", "content-length",
			"expect", "host", "keep-alive", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
			"outrigger-deadline", "outrigger-hedge");

	private RouteAssembly() {
	}

	static Routes routes(ScatterProperties scatter, Environment environment, JsonMapper mapper) {
		RouteProperties fromVariables = Binder.get(environment)
			.bindOrCreate("outrigger.scatter", RouteProperties.class);
		List<Route> routes = new ArrayList<>();
		if (scatter.config() == null) {
			if (fromVariables.leaves() == null || fromVariables.leaves().isBlank()) {
				throw new InvalidSettingException("OUTRIGGER_SCATTER_LEAVES", "",
						"expected the leaves, such as http://leaf-a:8080,http://leaf-b:8080 or "
								+ "dns:http://leaves.default.svc:8080 (or a routes file in OUTRIGGER_SCATTER_CONFIG)");
			}
			routes.add(route(fromVariables, scatter,
					(key) -> "OUTRIGGER_SCATTER_" + key.toUpperCase(Locale.ROOT).replace('-', '_'), mapper));
		}
		else {
			if (fromVariables.leaves() != null) {
				throw new InvalidSettingException("OUTRIGGER_SCATTER_LEAVES", fromVariables.leaves(),
						"expected it unset when OUTRIGGER_SCATTER_CONFIG names a routes file: set the leaves there");
			}
			List<RouteProperties> fromFile = read(scatter.config());
			for (int i = 0; i < fromFile.size(); i++) {
				String entry = "routes[" + i + "].";
				routes.add(route(fromFile.get(i), scatter, (key) -> "OUTRIGGER_SCATTER_CONFIG " + entry + key, mapper));
			}
		}
		Set<String> prefixes = new HashSet<>();
		for (Route route : routes) {
			if (!prefixes.add(route.prefix())) {
				throw new InvalidSettingException("OUTRIGGER_SCATTER_CONFIG", String.valueOf(scatter.config()),
						"two routes have the prefix " + route.prefix() + "; each prefix may have one route");
			}
		}
		return new Routes(routes);
	}

	private static List<RouteProperties> read(Path file) {
		List<PropertySource<?>> sources;
		try {
			if (!Files.isReadable(file)) {
				throw new IOException("cannot read it");
			}
			sources = new YamlPropertySourceLoader().load("scatter routes", new FileSystemResource(file));
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidSettingException("OUTRIGGER_SCATTER_CONFIG", file.toString(),
					"expected a readable YAML file with routes: (" + ex.getMessage() + ")");
		}
		try {
			// a key the route does not have (a misspelling) stops the root, as a bad
			// value does
			List<RouteProperties> routes = new Binder(ConfigurationPropertySources.from(sources))
				.bind("routes", Bindable.listOf(RouteProperties.class),
						new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
				.orElse(List.of());
			if (routes.isEmpty()) {
				throw new InvalidSettingException("OUTRIGGER_SCATTER_CONFIG", file.toString(),
						"expected a YAML file with at least one entry under routes:");
			}
			return routes;
		}
		catch (BindException ex) {
			String property = ex.getName().toString();
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			while (cause.getCause() != null) {
				cause = cause.getCause();
			}
			throw new InvalidSettingException("OUTRIGGER_SCATTER_CONFIG", file.toString(),
					property + ": " + cause.getMessage());
		}
	}

	/**
	 * One route, checked.
	 * @param name names a setting for the operator: a variable, or the file and the key
	 */
	private static Route route(RouteProperties settings, ScatterProperties scatter, UnaryOperator<String> name,
			JsonMapper mapper) {
		String prefix = prefix(settings.prefix(), name.apply("prefix"));
		Settings.requirePositive(name.apply("timeout"), settings.timeout());
		Settings.requirePositive(name.apply("discovery-interval"), settings.discoveryInterval());
		if (settings.maxTimeout().compareTo(settings.timeout()) < 0) {
			throw new InvalidSettingException(name.apply("max-timeout"), Settings.format(settings.maxTimeout()),
					"expected at least the timeout (" + Settings.format(settings.timeout()) + ")");
		}
		long maxLeafBytes = settings.maxLeafBytes().toBytes();
		long mostLeafBytes = Math.min(scatter.maxBuffered().toBytes(), Integer.MAX_VALUE - 8);
		if (maxLeafBytes < 1 || maxLeafBytes > mostLeafBytes) {
			throw new InvalidSettingException(name.apply("max-leaf-bytes"), settings.maxLeafBytes().toString(),
					"expected from 1B to OUTRIGGER_SCATTER_MAX_BUFFERED (" + scatter.maxBuffered()
							+ "), at most 2047MB");
		}
		if (!(settings.hedgeBudgetPercent() >= 0 && settings.hedgeBudgetPercent() <= 100)) {
			throw new InvalidSettingException(name.apply("hedge-budget-percent"),
					Double.toString(settings.hedgeBudgetPercent()), "expected a percentage from 0 to 100");
		}
		Hedging hedging;
		try {
			hedging = Hedging.parse(settings.hedgeDelay(), settings.hedgeBudgetPercent(),
					settings.hedgeNonIdempotent());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSettingException(name.apply("hedge-delay"), settings.hedgeDelay(),
					"expected off, p95 or a positive duration such as 20ms (" + ex.getMessage() + ")");
		}
		Route.ReportPlacement report;
		try {
			report = Route.ReportPlacement.valueOf(settings.report().strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSettingException(name.apply("report"), settings.report(),
					"expected auto, body or headers");
		}
		Set<String> headers = settings.forwardHeaders()
			.stream()
			.map((header) -> header.strip().toLowerCase(Locale.ROOT))
			.filter((header) -> !header.isEmpty())
			.collect(Collectors.toUnmodifiableSet());
		for (String header : headers) {
			if (NOT_FORWARDABLE.contains(header)) {
				throw new InvalidSettingException(name.apply("forward-headers"), header, "expected headers other than "
						+ new TreeSet<>(NOT_FORWARDABLE) + ": the root sets those itself");
			}
		}
		MergeStrategy merge;
		try {
			merge = Merges.of(settings, mapper);
		}
		catch (InvalidMergeSettingException ex) {
			throw new InvalidSettingException(name.apply(ex.setting()), ex.value(), ex.allowed());
		}
		if (settings.leaves() == null || settings.leaves().isBlank()) {
			throw new InvalidSettingException(name.apply("leaves"), "", "expected the route's leaves");
		}
		LeafDirectory directory;
		try {
			directory = LeafList.parse(settings.leaves(), settings.discoveryInterval());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSettingException(name.apply("leaves"), settings.leaves(), ex.getMessage());
		}
		Integer quorum = settings.mergeQuorum();
		if ("quorum".equals(settings.merge().strip().toLowerCase(Locale.ROOT)) && quorum != null
				&& directory instanceof StaticLeaves fixed && quorum > fixed.shards().size()) {
			// no request could ever reach it
			throw new InvalidSettingException(name.apply("merge-quorum"), quorum.toString(),
					"expected at most the route's " + fixed.shards().size() + " shards");
		}
		return new Route(prefix, directory, merge, hedging, settings.timeout(), settings.maxTimeout(),
				settings.partialResults(), report, headers, maxLeafBytes, settings.stripPrefix());
	}

	private static String prefix(String prefix, String name) {
		String text = prefix.strip();
		if (!text.startsWith("/") || (text.length() > 1 && text.endsWith("/")) || text.contains("?")) {
			throw new InvalidSettingException(name, prefix, "expected a path such as /search (or / for every path)");
		}
		for (String reserved : RESERVED) {
			if (text.equals(reserved) || text.startsWith(reserved + "/")) {
				throw new InvalidSettingException(name, prefix, "expected a path outside the root's own " + RESERVED);
			}
		}
		return text;
	}

}
