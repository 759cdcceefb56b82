package dev.outrigger.ambassador.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Where an HTTP request carries its shard key: a header, a path segment or a query
 * parameter.
 *
 * @param kind which part of the request
 * @param name the header or parameter name, or the segment index (from 0) as text
 */
public record KeySource(Kind kind, String name) {

	/** Parses {@code header:<name>}, {@code path:<index>} or {@code query:<name>}. */
	public static KeySource parse(String text) {
		int colon = text.indexOf(':');
		if (colon <= 0 || colon == text.length() - 1) {
			throw new IllegalArgumentException("expected header:<name>, path:<index> or query:<name>");
		}
		Kind kind = Kind.valueOf(text.substring(0, colon).strip().toUpperCase(Locale.ROOT));
		String name = text.substring(colon + 1).strip();
		if (kind == Kind.PATH && !name.matches("\\d{1,3}")) {
			throw new IllegalArgumentException("path:<index> needs a segment index such as path:1");
		}
		return new KeySource(kind, name);
	}

	/** The key of {@code request}, or null when it has none. */
	public @Nullable String keyOf(HttpServletRequest request) {
		String key = switch (this.kind) {
			case HEADER -> request.getHeader(this.name);
			case QUERY -> request.getParameter(this.name);
			case PATH -> segment(request.getRequestURI(), Integer.parseInt(this.name));
		};
		return (key == null || key.isEmpty()) ? null : key;
	}

	private static @Nullable String segment(String path, int index) {
		String[] segments = path.replaceFirst("^/", "").split("/", -1);
		return (index < segments.length) ? URLDecoder.decode(segments[index], StandardCharsets.UTF_8) : null;
	}

	public String describe() {
		return switch (this.kind) {
			case HEADER -> "header " + this.name;
			case QUERY -> "query parameter " + this.name;
			case PATH -> "path segment " + this.name;
		};
	}

	/** The part of a request a key comes from. */
	public enum Kind {

		HEADER, PATH, QUERY

	}

}
