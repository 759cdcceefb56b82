package dev.outrigger.ambassador.autoconfigure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import dev.outrigger.ambassador.ProxyLifecycle;
import dev.outrigger.ambassador.Shard;
import dev.outrigger.ambassador.http.HttpSharding;
import dev.outrigger.ambassador.resp.RespProxy;
import dev.outrigger.ambassador.resp.RespProxySettings;
import dev.outrigger.ambassador.ring.Distribution;
import dev.outrigger.ambassador.ring.HashFunction;
import dev.outrigger.ambassador.ring.ShardRing;
import dev.outrigger.ambassador.ring.ShardSpecs;
import dev.outrigger.kit.config.InvalidSettingException;
import dev.outrigger.testsupport.net.LoopbackPorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class AmbassadorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AmbassadorAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class);

	@Test
	void redisShardsStartTheRespProxyOnly() throws IOException {
		this.contextRunner
			.withPropertyValues("outrigger.ambassador.shards=127.0.0.1:7001:1,127.0.0.1:7002:1",
					"outrigger.ambassador.listen=127.0.0.1:" + LoopbackPorts.free())
			.run((context) -> {
				assertThat(context).hasSingleBean(RespProxy.class).hasSingleBean(ProxyLifecycle.class);
				assertThat(context).doesNotHaveBean(HttpSharding.class);
				assertThat(context.getBean(RespProxy.class).shards()).hasSize(2);
			});
	}

	@Test
	void theUsersProxyWins() {
		List<Shard> shards = ShardSpecs.parse("127.0.0.1:7001:1");
		RespProxy own = new RespProxy(RespProxySettings.defaults(new InetSocketAddress("127.0.0.1", 0)),
				ShardRing.of(shards, HashFunction.FNV1A_64, Distribution.KETAMA, null), new SimpleMeterRegistry());
		this.contextRunner.withPropertyValues("outrigger.ambassador.shards=127.0.0.1:7001:1")
			.withBean(RespProxy.class, () -> own)
			.run((context) -> {
				assertThat(context).hasSingleBean(RespProxy.class).hasSingleBean(ProxyLifecycle.class);
				assertThat(context.getBean(RespProxy.class)).isSameAs(own);
			});
	}

	@Test
	void aProxySettingOutOfRangeNamesItsVariable() {
		for (String[] bad : new String[][] {
				{ "outrigger.ambassador.timeout=0s", "OUTRIGGER_AMBASSADOR_TIMEOUT=\"0s\"" },
				{ "outrigger.ambassador.server-connections=65", "OUTRIGGER_AMBASSADOR_SERVER_CONNECTIONS=\"65\"" },
				{ "outrigger.ambassador.server-failure-limit=0",
						"OUTRIGGER_AMBASSADOR_SERVER_FAILURE_LIMIT=\"0\" is not allowed: expected at least 1" } }) {
			this.contextRunner.withPropertyValues("outrigger.ambassador.shards=127.0.0.1:7001:1", bad[0])
				.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining(bad[1]));
		}
		assertThat(org.assertj.core.api.Assertions
			.catchThrowable(() -> new RespProxySettings(new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(1),
					Duration.ZERO, 1, null, false, 1, Duration.ofSeconds(1), 1024, 1024, 1)))
			.isInstanceOf(InvalidSettingException.class)
			.hasMessageStartingWith("OUTRIGGER_AMBASSADOR_CONNECT_TIMEOUT=\"0s\"");
	}

	@Test
	void withoutAnyShardsStartFailsNamingTheVariable() {
		this.contextRunner.run((context) -> assertThat(context).getFailure()
			.rootCause()
			.isInstanceOf(InvalidSettingException.class)
			.hasMessageContaining("OUTRIGGER_AMBASSADOR_SHARDS"));
	}

	@Test
	void anUnknownHashIsRejectedListingTheAllowedOnes() {
		this.contextRunner
			.withPropertyValues("outrigger.ambassador.shards=127.0.0.1:7001:1", "outrigger.ambassador.hash=sha1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("OUTRIGGER_AMBASSADOR_HASH")
				.hasMessageContaining("fnv1a_64"));
	}

	@Test
	void aBadDistributionTagListenThreadCountOrShardListIsRejectedNamingItsVariable() {
		String[][] cases = { { "outrigger.ambassador.distribution=ring", "OUTRIGGER_AMBASSADOR_DISTRIBUTION" },
				{ "outrigger.ambassador.hash-tag={", "OUTRIGGER_AMBASSADOR_HASH_TAG" },
				{ "outrigger.ambassador.listen=localhost", "OUTRIGGER_AMBASSADOR_LISTEN" },
				{ "outrigger.ambassador.threads=-1", "OUTRIGGER_AMBASSADOR_THREADS" } };
		for (String[] bad : cases) {
			this.contextRunner.withPropertyValues("outrigger.ambassador.shards=127.0.0.1:7001:1", bad[0])
				.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining(bad[1]));
		}
		this.contextRunner.withPropertyValues("outrigger.ambassador.shards=127.0.0.1:not-a-port:1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("OUTRIGGER_AMBASSADOR_SHARDS"));
	}

	@Test
	void httpShardsStartHttpShardingWithItsKeySource() {
		this.contextRunner
			.withPropertyValues("outrigger.ambassador.http.shards=127.0.0.1:8081:1 a,127.0.0.1:8082:1 b",
					"outrigger.ambassador.http.key=query:user", "outrigger.ambassador.http.missing-key=shard:b")
			.run((context) -> {
				assertThat(context).hasSingleBean(HttpSharding.class).doesNotHaveBean(RespProxy.class);
				assertThat(context.getBean(HttpSharding.class).shards()).extracting("name").containsExactly("a", "b");
			});
		this.contextRunner
			.withPropertyValues("outrigger.ambassador.http.shards=127.0.0.1:8081:1 a",
					"outrigger.ambassador.http.missing-key=shard:zzz")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("OUTRIGGER_AMBASSADOR_HTTP_MISSING_KEY"));
	}

}
