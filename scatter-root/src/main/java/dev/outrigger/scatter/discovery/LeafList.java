package dev.outrigger.scatter.discovery;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.outrigger.scatter.LeafDirectory;
import dev.outrigger.scatter.Shard;

/**
 * Reads a route's {@code leaves}: shards separated by commas, each one or more replica
 * URLs separated by {@code |} ({@code http://a1:8080|http://a2:8080,http://b1:8080}); or
 * one {@code dns:<url>}, every address of the URL's host a shard. A URL listed twice is
 * one shard: the same leaf asked twice would count its data twice.
 */
public final class LeafList {

	private LeafList() {
	}

	/**
	 * @throws IllegalArgumentException saying what is wrong and what is allowed
	 */
	public static LeafDirectory parse(String leaves, Duration interval) {
		String text = leaves.strip();
		if (text.startsWith("dns:")) {
			URI template = url(text.substring("dns:".length()));
			return new DnsLeaves(template, interval, InetAddress::getAllByName);
		}
		List<Shard> shards = new ArrayList<>();
		Set<URI> seen = new LinkedHashSet<>();
		for (String entry : text.split(",")) {
			if (entry.isBlank()) {
				continue;
			}
			if (entry.strip().startsWith("dns:")) {
				throw new IllegalArgumentException("a dns: entry must be the only one");
			}
			List<URI> replicas = Arrays.stream(entry.split("\\|"))
				.map(String::strip)
				.filter((url) -> !url.isEmpty())
				.map(LeafList::url)
				.filter(seen::add)
				.toList();
			if (!replicas.isEmpty()) {
				shards.add(new Shard(Shard.nameOf(replicas.getFirst()), replicas));
			}
		}
		if (shards.isEmpty()) {
			throw new IllegalArgumentException(
					"expected leaf URLs such as http://leaf-a:8080,http://leaf-b:8080 (replicas of one shard joined "
							+ "by |), or dns:http://leaves.default.svc:8080");
		}
		return new StaticLeaves(shards);
	}

	private static URI url(String text) {
		URI uri;
		try {
			uri = new URI(text.strip());
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("\"" + text + "\" is not a URL (" + ex.getReason() + ")");
		}
		if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
			throw new IllegalArgumentException("\"" + text + "\" is not an http(s) URL with a host");
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw new IllegalArgumentException("\"" + text + "\": a leaf URL takes no query or fragment");
		}
		String path = (uri.getRawPath() == null || uri.getRawPath().equals("/")) ? "" : uri.getRawPath();
		return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
	}

}
