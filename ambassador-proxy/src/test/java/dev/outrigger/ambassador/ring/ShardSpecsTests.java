package dev.outrigger.ambassador.ring;

import java.util.List;

import dev.outrigger.ambassador.Shard;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ShardSpecsTests {

	@Test
	void unnamedServersAreNamedHostColonPort() {
		assertThat(ShardSpecs.parse("127.0.0.1:6380:1, redis-b.internal:6381:2")).containsExactly(
				new Shard("127.0.0.1:6380", "127.0.0.1", 6380, 1),
				new Shard("redis-b.internal:6381", "redis-b.internal", 6381, 2));
	}

	@Test
	void onPort11211TheNameIsTheBareHostAsInLibmemcached() {
		assertThat(ShardSpecs.parse("cache-1:11211:1")).containsExactly(new Shard("cache-1", "cache-1", 11211, 1));
	}

	@Test
	void aNameAfterASpaceReplacesTheAddressOnTheRing() {
		assertThat(ShardSpecs.parse("10.0.0.1:6379:3 redis-a,10.0.0.2:11211:1 memcache-b"))
			.containsExactly(new Shard("redis-a", "10.0.0.1", 6379, 3), new Shard("memcache-b", "10.0.0.2", 11211, 1));
	}

	@Test
	void thePortIsNamedAsWritten() {
		// twemproxy copies the bytes it was given, so a leading zero changes every point
		// of the server
		assertThat(ShardSpecs.parse("10.0.0.1:06379:1"))
			.containsExactly(new Shard("10.0.0.1:06379", "10.0.0.1", 6379, 1));
	}

	@Test
	void theLastTwoColonsSeparatePortAndWeight() {
		assertThat(ShardSpecs.parse("::1:6379:1")).containsExactly(new Shard("::1:6379", "::1", 6379, 1));
	}

	@Test
	void unixSocketsHaveNoPortAndTwemproxysTrailingColon() {
		assertThat(ShardSpecs.parse("/var/run/redis.sock:2,/var/run/other.sock:1 other")).containsExactly(
				new Shard("/var/run/redis.sock:", "/var/run/redis.sock", 0, 2),
				new Shard("other", "/var/run/other.sock", 0, 1));
	}

	@Test
	void badEntriesAreNamedInTheMessage() {
		for (String bad : List.of("10.0.0.1:6379", "10.0.0.1", "10.0.0.1:6379:0", "10.0.0.1:6379:-1", "10.0.0.1:6379:x",
				"10.0.0.1:99999:1", "10.0.0.1:0:1", ":6379:1", "10.0.0.1::1", "10.0.0.1:6379:1 two names",
				"/run/a:b.sock:1")) {
			assertThatIllegalArgumentException().isThrownBy(() -> ShardSpecs.parse("10.0.0.9:6379:1," + bad))
				.withMessageContaining("'" + bad + "'");
		}
	}

	@Test
	void emptyEntriesAreRefused() {
		for (String bad : List.of("", " ", "10.0.0.1:6379:1,", "10.0.0.1:6379:1,,10.0.0.2:6379:1")) {
			assertThatIllegalArgumentException().isThrownBy(() -> ShardSpecs.parse(bad)).withMessageContaining("empty");
		}
	}

	@Test
	void twoServersWithTheSameNameAreRefusedAsTwemproxyDoes() {
		assertThatIllegalArgumentException().isThrownBy(() -> ShardSpecs.parse("10.0.0.1:6379:1 a,10.0.0.2:6379:1 a"))
			.withMessageContaining("'10.0.0.1:6379:1 a'")
			.withMessageContaining("'10.0.0.2:6379:1 a'");
		assertThatIllegalArgumentException().isThrownBy(() -> ShardSpecs.parse("10.0.0.1:11211:1,10.0.0.1:11211:2"))
			.withMessageContaining("same name '10.0.0.1'");
	}

}
