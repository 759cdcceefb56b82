package dev.outrigger.ambassador.autoconfigure;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import dev.outrigger.ambassador.AmbassadorProperties;
import dev.outrigger.ambassador.ProxyLifecycle;
import dev.outrigger.ambassador.Shard;
import dev.outrigger.ambassador.ShardedProxy;
import dev.outrigger.ambassador.api.ShardsController;
import dev.outrigger.ambassador.http.HttpShardHealth;
import dev.outrigger.ambassador.http.HttpSharding;
import dev.outrigger.ambassador.http.HttpShardingFilter;
import dev.outrigger.ambassador.http.KeySource;
import dev.outrigger.ambassador.resp.RespProxy;
import dev.outrigger.ambassador.resp.RespProxySettings;
import dev.outrigger.ambassador.ring.Distribution;
import dev.outrigger.ambassador.ring.HashFunction;
import dev.outrigger.ambassador.ring.HashTag;
import dev.outrigger.ambassador.ring.ShardRing;
import dev.outrigger.ambassador.ring.ShardSpecs;
import dev.outrigger.kit.config.InvalidSettingException;
import dev.outrigger.kit.config.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.catalina.connector.Connector;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the ambassador: the RESP proxy over the Redis shards, HTTP sharding on its own
 * port when HTTP shards are configured, their part in the lifecycle, and
 * {@code GET /shards}.
 */
@AutoConfiguration
@EnableConfigurationProperties(AmbassadorProperties.class)
public final class AmbassadorAutoConfiguration {

	AmbassadorAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	RingSettings ringSettings(AmbassadorProperties properties) {
		return RingSettings.of(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	ShardsController shardsController(ObjectProvider<RespProxy> proxy, ObjectProvider<HttpSharding> http) {
		return new ShardsController(proxies(proxy, http));
	}

	@Bean
	@ConditionalOnMissingBean
	ProxyLifecycle proxyLifecycle(ObjectProvider<RespProxy> proxy, ObjectProvider<HttpSharding> http) {
		return new ProxyLifecycle(proxies(proxy, http));
	}

	// the RESP proxy first, then HTTP sharding: the order GET /shards and the readiness
	// report keep
	private static List<ShardedProxy> proxies(ObjectProvider<RespProxy> resp, ObjectProvider<HttpSharding> http) {
		return Stream.<ShardedProxy>of(resp.getIfAvailable(), http.getIfAvailable()).filter(Objects::nonNull).toList();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "outrigger.ambassador.shards")
	static class RespConfiguration {

		@Bean(initMethod = "start", destroyMethod = "close")
		@ConditionalOnMissingBean
		RespProxy respProxy(AmbassadorProperties properties, RingSettings ring, MeterRegistry meters) {
			List<Shard> shards = parseShards("OUTRIGGER_AMBASSADOR_SHARDS", properties.shards());
			RespProxySettings settings = new RespProxySettings(listenAddress(properties.listen()), properties.timeout(),
					properties.connectTimeout(), properties.serverConnections(), properties.password(),
					properties.autoEject(), properties.serverFailureLimit(), properties.healthCheckInterval(),
					(int) properties.maxBulkLength().toBytes(), 64 * 1024, properties.eventLoops());
			return new RespProxy(settings, ring.ringOf(shards), meters);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "outrigger.ambassador.http.shards")
	static class HttpConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		HttpSharding httpSharding(AmbassadorProperties properties, RingSettings ring) {
			AmbassadorProperties.Http http = properties.http();
			List<Shard> shards = parseShards("OUTRIGGER_AMBASSADOR_HTTP_SHARDS", http.shards());
			KeySource keySource = Settings.parse("OUTRIGGER_AMBASSADOR_HTTP_KEY", http.key(), KeySource::parse);
			HttpShardingFilter.MissingKey missingKey = Settings.parse("OUTRIGGER_AMBASSADOR_HTTP_MISSING_KEY",
					http.missingKey(), (value) -> HttpShardingFilter.MissingKey.parse(value, shards));
			HttpClient client = HttpClient.newBuilder()
				.connectTimeout(properties.connectTimeout())
				.executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
				.build();
			HttpShardHealth health = new HttpShardHealth(shards, http.healthPath(), client,
					properties.healthCheckInterval());
			return new HttpSharding(ring.ringOf(shards), keySource, missingKey, health, client, http.port(),
					http.timeout());
		}

		// by name: registrations and customizers share their types with other beans
		@Bean
		@ConditionalOnMissingBean(name = "httpShardingFilter")
		FilterRegistrationBean<HttpShardingFilter> httpShardingFilter(HttpSharding shards) {
			FilterRegistrationBean<HttpShardingFilter> registration = new FilterRegistrationBean<>(shards.filter());
			registration.setOrder(Integer.MIN_VALUE);
			registration.addUrlPatterns("/*");
			return registration;
		}

		@Bean
		@ConditionalOnMissingBean(name = "httpShardingConnector")
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> httpShardingConnector(
				AmbassadorProperties properties) {
			return (factory) -> {
				Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
				connector.setPort(properties.http().port());
				factory.addAdditionalConnectors(connector);
			};
		}

	}

	static List<Shard> parseShards(String variable, @Nullable String servers) {
		return Settings.parse(variable, servers, ShardSpecs::parse);
	}

	static InetSocketAddress listenAddress(String listen) {
		int colon = listen.lastIndexOf(':');
		try {
			if (colon > 0) {
				String host = listen.substring(0, colon).replace("[", "").replace("]", "");
				int port = Integer.parseInt(listen.substring(colon + 1));
				if (port >= 1 && port <= 65535) {
					return new InetSocketAddress(host, port);
				}
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new InvalidSettingException("OUTRIGGER_AMBASSADOR_LISTEN", listen,
				"expected host:port such as 127.0.0.1:6379 (0.0.0.0:6379 to accept other pods)");
	}

	/**
	 * How keys are placed, shared by the Redis and HTTP rings.
	 *
	 * @param hash the hash function
	 * @param distribution ketama, modula or random
	 * @param tag the hash tag, or null
	 */
	record RingSettings(HashFunction hash, Distribution distribution, @Nullable HashTag tag) {

		static RingSettings of(AmbassadorProperties properties) {
			HashFunction hash = Settings.parse("OUTRIGGER_AMBASSADOR_HASH", properties.hash(), HashFunction::parse);
			Distribution distribution = Settings.parse("OUTRIGGER_AMBASSADOR_DISTRIBUTION", properties.distribution(),
					Distribution::parse);
			HashTag tag = (properties.hashTag() != null && !properties.hashTag().isEmpty())
					? Settings.parse("OUTRIGGER_AMBASSADOR_HASH_TAG", properties.hashTag(), HashTag::parse) : null;
			return new RingSettings(hash, distribution, tag);
		}

		ShardRing ringOf(List<Shard> shards) {
			return ShardRing.of(shards, this.hash, this.distribution, this.tag);
		}

	}

}
