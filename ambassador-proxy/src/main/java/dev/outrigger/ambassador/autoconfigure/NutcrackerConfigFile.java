package dev.outrigger.ambassador.autoconfigure;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.outrigger.kit.config.InvalidSettingException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Migration from twemproxy: {@code OUTRIGGER_AMBASSADOR_CONFIG} may name a
 * {@code nutcracker.yml}; its first pool (or the one named by
 * {@code OUTRIGGER_AMBASSADOR_POOL}) becomes the ambassador's settings, below the
 * environment variables, so the same keys land on the same shards.
 */
public class NutcrackerConfigFile implements EnvironmentPostProcessor, Ordered {

	static final String SOURCE = "nutcrackerConfig";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String file = environment.getProperty("outrigger.ambassador.config");
		if (file == null || file.isBlank()) {
			return;
		}
		Map<String, Object> pool = pool(Path.of(file), environment.getProperty("outrigger.ambassador.pool"));
		environment.getPropertySources().addLast(new MapPropertySource(SOURCE, settings(pool, file)));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> pool(Path file, String wanted) {
		Object document;
		try (Reader reader = Files.newBufferedReader(file)) {
			document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidSettingException("OUTRIGGER_AMBASSADOR_CONFIG", file.toString(),
					"expected a readable nutcracker.yml (" + ex.getMessage() + ")");
		}
		if (!(document instanceof Map<?, ?> pools) || pools.isEmpty()) {
			throw new InvalidSettingException("OUTRIGGER_AMBASSADOR_CONFIG", file.toString(),
					"expected a nutcracker.yml with at least one pool");
		}
		Object pool = (wanted != null) ? pools.get(wanted) : pools.values().iterator().next();
		if (!(pool instanceof Map<?, ?> settings)) {
			throw new InvalidSettingException("OUTRIGGER_AMBASSADOR_POOL", String.valueOf(wanted),
					"expected one of the pools in the file: " + pools.keySet());
		}
		return (Map<String, Object>) settings;
	}

	private static Map<String, Object> settings(Map<String, Object> pool, String file) {
		Map<String, Object> settings = new HashMap<>();
		if (pool.get("servers") instanceof List<?> servers) {
			settings.put("outrigger.ambassador.shards",
					String.join(",", servers.stream().map(String::valueOf).toList()));
		}
		else {
			throw new InvalidSettingException("OUTRIGGER_AMBASSADOR_CONFIG", file, "the pool has no servers list");
		}
		copy(pool, "listen", settings, "listen");
		copy(pool, "hash", settings, "hash");
		copy(pool, "distribution", settings, "distribution");
		copy(pool, "hash_tag", settings, "hash-tag");
		copy(pool, "server_connections", settings, "server-connections");
		copy(pool, "redis_auth", settings, "password");
		copy(pool, "auto_eject_hosts", settings, "auto-eject");
		copy(pool, "server_failure_limit", settings, "server-failure-limit");
		if (pool.get("timeout") != null) {
			settings.put("outrigger.ambassador.timeout", pool.get("timeout") + "ms");
		}
		return settings;
	}

	private static void copy(Map<String, Object> pool, String key, Map<String, Object> settings, String property) {
		Object value = pool.get(key);
		if (value != null) {
			settings.put("outrigger.ambassador." + property, String.valueOf(value));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 20;
	}

}
