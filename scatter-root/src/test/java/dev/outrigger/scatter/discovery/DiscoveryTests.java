package dev.outrigger.scatter.discovery;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.outrigger.scatter.LeafDirectory;
import dev.outrigger.scatter.Shard;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Leaf lists and DNS discovery: replicas, duplicates, names that stop resolving and come
 * back, membership that changes.
 */
class DiscoveryTests {

	@Test
	void aListNamesShardsAndTheirReplicasAndCountsADuplicateOnce() {
		LeafDirectory leaves = LeafList.parse(
				"http://a1:8080|http://a2:8080/ , http://b:9000/search,http://a1:8080, http://c:80|http://b:9000/search",
				Duration.ofSeconds(10));
		assertThat(leaves.shards()).containsExactly(
				new Shard("a1:8080", List.of(URI.create("http://a1:8080"), URI.create("http://a2:8080"))),
				new Shard("b:9000/search", List.of(URI.create("http://b:9000/search"))),
				new Shard("c:80", List.of(URI.create("http://c:80"))));
		assertThat(leaves.problem()).isNull();
	}

	@Test
	void aBadListSaysWhatIsWrong() {
		assertThatIllegalArgumentException().isThrownBy(() -> LeafList.parse("ftp://a", Duration.ofSeconds(1)))
			.withMessageContaining("is not an http(s) URL with a host");
		assertThatIllegalArgumentException().isThrownBy(() -> LeafList.parse("http://a?x=1", Duration.ofSeconds(1)))
			.withMessageContaining("takes no query");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LeafList.parse("http://a,dns:http://b:1", Duration.ofSeconds(1)))
			.withMessageContaining("must be the only one");
		assertThatIllegalArgumentException().isThrownBy(() -> LeafList.parse(" , ", Duration.ofSeconds(1)))
			.withMessageContaining("expected leaf URLs");
	}

	@Test
	void everyAddressOfANameIsAShardSortedAndOnce() throws Exception {
		AtomicReference<InetAddress[]> answer = new AtomicReference<>(
				new InetAddress[] { address("10.0.0.2"), address("10.0.0.1"), address("10.0.0.2"), address("::1") });
		try (DnsLeaves leaves = new DnsLeaves(URI.create("http://leaves.default.svc:8080/q"), Duration.ofHours(1),
				(host) -> answer.get())) {
			assertThat(leaves.shards()).extracting(Shard::id)
				.containsExactly("10.0.0.1:8080/q", "10.0.0.2:8080/q", "[0:0:0:0:0:0:0:1]:8080/q");
			assertThat(leaves.shards().getFirst().replicas()).containsExactly(URI.create("http://10.0.0.1:8080/q"));
			answer.set(new InetAddress[] { address("10.0.0.3") });
			leaves.resolve();
			assertThat(leaves.shards()).extracting(Shard::id).containsExactly("10.0.0.3:8080/q");
		}
	}

	@Test
	void aNameThatStopsResolvingHasNoLeavesUntilItResolvesAgain() throws Exception {
		AtomicReference<InetAddress[]> answer = new AtomicReference<>(new InetAddress[] { address("10.0.0.1") });
		try (DnsLeaves leaves = new DnsLeaves(URI.create("http://leaves:8080"), Duration.ofHours(1), (host) -> {
			InetAddress[] addresses = answer.get();
			if (addresses == null) {
				throw new UnknownHostException(host);
			}
			return addresses;
		})) {
			assertThat(leaves.shards()).hasSize(1);
			answer.set(null);
			leaves.resolve();
			assertThat(leaves.shards()).isEmpty();
			assertThat(leaves.problem()).isEqualTo("leaves does not resolve");
			answer.set(new InetAddress[0]);
			leaves.resolve();
			assertThat(leaves.problem()).isEqualTo("leaves has no addresses");
			answer.set(new InetAddress[] { address("10.0.0.9") });
			leaves.resolve();
			assertThat(leaves.shards()).extracting(Shard::id).containsExactly("10.0.0.9:8080");
			assertThat(leaves.problem()).isNull();
		}
	}

	@Test
	void theSystemResolverFindsLocalhost() {
		try (LeafDirectory leaves = LeafList.parse("dns:http://localhost:4000", Duration.ofHours(1))) {
			assertThat(leaves.shards()).isNotEmpty()
				.allSatisfy((shard) -> assertThat(shard.replicas().getFirst().getPort()).isEqualTo(4000));
			assertThat(leaves.describe()).isEqualTo("dns http://localhost:4000");
		}
	}

	private static InetAddress address(String literal) throws UnknownHostException {
		return InetAddress.getByName(literal);
	}

}
