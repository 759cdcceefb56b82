package dev.outrigger.ambassador;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.outrigger.kit.lifecycle.Readiness;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProxyLifecycle} over stubs of our own {@link ShardedProxy}: it reports every
 * proxy's problem in order, and drains each.
 */
class ProxyLifecycleTests {

	@Test
	void readyWhenEveryProxyIs() {
		Readiness readiness = new ProxyLifecycle(List.of(new Stub("redis", null), new Stub("http", null))).readiness();
		assertThat(readiness).isEqualTo(Readiness.ready("listening; shards up"));
	}

	@Test
	void notReadyWithEveryProxysReasonInOrder() {
		Readiness readiness = new ProxyLifecycle(
				List.of(new Stub("redis", "RESP: down"), new Stub("http", null), new Stub("http", "HTTP: down")))
			.readiness();
		assertThat(readiness).isEqualTo(Readiness.notReady("RESP: down; HTTP: down"));
	}

	@Test
	void drainDrainsEveryProxy() {
		Stub resp = new Stub("redis", null);
		Stub http = new Stub("http", null);
		new ProxyLifecycle(List.of(resp, http)).drain(Duration.ofSeconds(3));
		assertThat(resp.drained).containsExactly(Duration.ofSeconds(3));
		assertThat(http.drained).containsExactly(Duration.ofSeconds(3));
	}

	private static final class Stub implements ShardedProxy {

		private final String kind;

		private final @Nullable String notReady;

		private final List<Duration> drained = new ArrayList<>();

		private Stub(String kind, @Nullable String notReady) {
			this.kind = kind;
			this.notReady = notReady;
		}

		@Override
		public String kind() {
			return this.kind;
		}

		@Override
		public List<?> shards() {
			return List.of();
		}

		@Override
		public @Nullable String notReady() {
			return this.notReady;
		}

		@Override
		public void drain(Duration deadline) {
			this.drained.add(deadline);
		}

	}

}
