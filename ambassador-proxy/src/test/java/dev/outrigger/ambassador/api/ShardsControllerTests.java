package dev.outrigger.ambassador.api;

import java.util.List;

import dev.outrigger.ambassador.ShardedProxy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * {@code GET /shards} over stubs of our own {@link ShardedProxy}: each proxy's shards
 * under its kind, in the order the proxies were given.
 */
class ShardsControllerTests {

	@Test
	void listsEachProxysShardsUnderItsKind() {
		ShardsController controller = new ShardsController(
				List.of(proxy("redis", List.of("r1", "r2")), proxy("http", List.of("h1"))));
		assertThat(controller.shards()).containsExactly(entry("redis", List.of("r1", "r2")),
				entry("http", List.of("h1")));
	}

	@Test
	void emptyWhenNoProxyRuns() {
		assertThat(new ShardsController(List.of()).shards()).isEmpty();
	}

	private static ShardedProxy proxy(String kind, List<?> shards) {
		return new ShardedProxy() {

			@Override
			public String kind() {
				return kind;
			}

			@Override
			public List<?> shards() {
				return shards;
			}

			@Override
			public @Nullable String notReady() {
				return null;
			}

		};
	}

}
