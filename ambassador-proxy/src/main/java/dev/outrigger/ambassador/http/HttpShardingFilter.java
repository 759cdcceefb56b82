package dev.outrigger.ambassador.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import dev.outrigger.ambassador.Shard;
import dev.outrigger.ambassador.ring.ShardRing;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP sharding on its own port: each request goes to the shard its key hashes to on the
 * same ketama ring as the Redis shards, with bodies streamed both ways. Requests on any
 * other port (the admin port) pass through untouched.
 */
public final class HttpShardingFilter extends OncePerRequestFilter {

	/** Hop-by-hop headers, plus those the JDK client sets itself. */
	private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
			"proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect");

	private final int port;

	private final ShardRing ring;

	private final KeySource keySource;

	private final MissingKey missingKey;

	private final HttpShardHealth health;

	private final HttpClient client;

	private final Duration timeout;

	public HttpShardingFilter(int port, ShardRing ring, KeySource keySource, MissingKey missingKey,
			HttpShardHealth health, HttpClient client, Duration timeout) {
		this.port = port;
		this.ring = ring;
		this.keySource = keySource;
		this.missingKey = missingKey;
		this.health = health;
		this.client = client;
		this.timeout = timeout;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getLocalPort() != this.port) {
			chain.doFilter(request, response);
			return;
		}
		Shard shard = shardFor(request);
		if (shard == null) {
			problem(response, 400, "Missing shard key", "The request has no " + this.keySource.describe()
					+ "; send it so the ambassador can pick a shard (OUTRIGGER_AMBASSADOR_HTTP_KEY).");
			return;
		}
		if (!this.health.isUp(shard)) {
			problem(response, 502, "Shard unavailable", "Shard " + shard.name() + " (" + shard.address()
					+ ") failed its health check; its keys stay on it, retry later.");
			return;
		}
		forward(request, response, shard);
	}

	private @Nullable Shard shardFor(HttpServletRequest request) {
		String key = this.keySource.keyOf(request);
		if (key != null) {
			return this.ring.locate(key.getBytes(StandardCharsets.UTF_8));
		}
		return switch (this.missingKey.kind()) {
			case REJECT -> null;
			case RANDOM -> this.ring.shards().get(ThreadLocalRandom.current().nextInt(this.ring.shards().size()));
			case SHARD -> this.missingKey.shard();
		};
	}

	private void forward(HttpServletRequest request, HttpServletResponse response, Shard shard) throws IOException {
		String query = request.getQueryString();
		URI target = URI
			.create("http://" + shard.address() + request.getRequestURI() + (query != null ? "?" + query : ""));
		HttpRequest.Builder outgoing = HttpRequest.newBuilder(target).timeout(this.timeout);
		for (String name : Collections.list(request.getHeaderNames())) {
			if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
				for (String value : Collections.list(request.getHeaders(name))) {
					outgoing.header(name, value);
				}
			}
		}
		outgoing.header("X-Forwarded-For", request.getRemoteAddr());
		outgoing.method(request.getMethod(), body(request));
		HttpResponse<InputStream> answer;
		try {
			answer = this.client.send(outgoing.build(), HttpResponse.BodyHandlers.ofInputStream());
		}
		catch (HttpTimeoutException ex) {
			problem(response, 504, "Shard timeout",
					"Shard " + shard.name() + " (" + shard.address() + ") did not answer within "
							+ this.timeout.toMillis() + " ms (OUTRIGGER_AMBASSADOR_HTTP_TIMEOUT).");
			return;
		}
		catch (ConnectException ex) {
			problem(response, 502, "Shard unavailable",
					"Shard " + shard.name() + " (" + shard.address() + ") refused the connection; retry later.");
			return;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			problem(response, 503, "Shutting down", "The ambassador is stopping; retry on another replica.");
			return;
		}
		response.setStatus(answer.statusCode());
		answer.headers().map().forEach((name, values) -> {
			if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
				values.forEach((value) -> response.addHeader(name, value));
			}
		});
		response.setHeader("Outrigger-Shard", shard.name());
		try (InputStream in = answer.body(); OutputStream out = response.getOutputStream()) {
			byte[] buffer = new byte[16 * 1024];
			for (int read; (read = in.read(buffer)) >= 0;) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
	}

	private static HttpRequest.BodyPublisher body(HttpServletRequest request) {
		long length = request.getContentLengthLong();
		if (length == 0 || (length < 0 && request.getHeader("Transfer-Encoding") == null)) {
			return HttpRequest.BodyPublishers.noBody();
		}
		HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> {
			try {
				return request.getInputStream();
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		});
		return (length > 0) ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
	}

	private static void problem(HttpServletResponse response, int status, String title, String detail)
			throws IOException {
		response.setStatus(status);
		response.setContentType("application/problem+json");
		// bytes, not a writer: a writer would append a charset the problem+json type does
		// not take
		response.getOutputStream()
			.write(("{\"type\":\"about:blank\",\"title\":" + quote(title) + ",\"status\":" + status + ",\"detail\":"
					+ quote(detail) + "}")
				.getBytes(StandardCharsets.UTF_8));
	}

	private static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	/**
	 * What to do with a request that has no key.
	 *
	 * @param kind reject it, pick a random shard, or use one shard
	 * @param shard the shard for {@link Kind#SHARD}
	 */
	public record MissingKey(Kind kind, @Nullable Shard shard) {

		/**
		 * Parses {@code reject}, {@code random} or {@code shard:<name>} against the shard
		 * list.
		 */
		public static MissingKey parse(String text, List<Shard> shards) {
			String value = text.strip();
			if (value.equalsIgnoreCase("reject")) {
				return new MissingKey(Kind.REJECT, null);
			}
			if (value.equalsIgnoreCase("random")) {
				return new MissingKey(Kind.RANDOM, null);
			}
			if (value.startsWith("shard:")) {
				String name = value.substring("shard:".length());
				return shards.stream()
					.filter((shard) -> shard.name().equals(name))
					.findFirst()
					.map((shard) -> new MissingKey(Kind.SHARD, shard))
					.orElseThrow(() -> new IllegalArgumentException("no HTTP shard is named '" + name + "'"));
			}
			throw new IllegalArgumentException("expected reject, random or shard:<name>");
		}

		/** The choices. */
		public enum Kind {

			REJECT, RANDOM, SHARD

		}

	}

}
