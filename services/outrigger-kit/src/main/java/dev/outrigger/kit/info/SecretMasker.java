package dev.outrigger.kit.info;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Masks secrets in a configuration tree before it is shown. Two rules, applied at every
 * depth (nested maps such as the {@code *.properties.*} passthrough to a client, and
 * lists):
 * <ul>
 * <li><b>By key.</b> A value is masked whole when its key names a secret: a word of the
 * key contains {@code password}, {@code passwd}, {@code passphrase}, {@code secret},
 * {@code token}, {@code credential} or {@code jaas}; or is {@code pwd}, {@code pass},
 * {@code auth}, {@code authorization}, {@code sig} or {@code signature}; or the key's
 * last word is {@code key} or ends in it ({@code api-key}, {@code private-key},
 * {@code apiKey}, {@code ssl.keystore.key}, {@code MY_SECRETKEY}). Words are split at
 * {@code . - _ [ ]} and at camelCase, ignoring case, so {@code ssl.keystore.password},
 * {@code sasl.jaas.config} and {@code DB_PASSWORD} all match.</li>
 * <li><b>By value</b>, whatever the key: the user-info of a URL
 * ({@code redis://user:pw@host} keeps {@code user}; {@code https://ghp_x@host} is masked
 * whole, as a lone user-info is often a token), query and JDBC parameters whose name is a
 * secret by the rule above ({@code ?user=app&password=hunter2}, {@code ;password=…},
 * {@code Password=…} at the start), and the password of an Oracle thin URL
 * ({@code jdbc:oracle:thin:scott/tiger@db}).</li>
 * </ul>
 * A word that only contains "key" ({@code keySource}, {@code key-prefix},
 * {@code keystore.location}, {@code key.serializer}) names where a key is or what it is,
 * not the key, and stays visible. A last word "key" is masked even when it may be
 * harmless ({@code partition-key}): we cannot tell from a passthrough key whether it
 * holds a secret. Our own settings that end in "key" but hold no secret are listed in
 * {@link #VISIBLE}.
 */
public final class SecretMasker {

	static final String MASK = "******";

	private static final List<String> SECRET_PARTS = List.of("password", "passwd", "passphrase", "secret", "token",
			"credential", "jaas");

	private static final Set<String> SECRET_WORDS = Set.of("pwd", "pass", "auth", "authorization", "sig", "signature");

	/**
	 * Settings of ours whose last word is "key" but that say where a shard key is read
	 * and what to do without one: {@code OUTRIGGER_AMBASSADOR_HTTP_KEY}
	 * ({@code header:X-Shard-Key}) and {@code OUTRIGGER_AMBASSADOR_HTTP_MISSING_KEY}
	 * ({@code reject}). Paths are lower case without dashes or underscores.
	 */
	private static final Set<String> VISIBLE = Set.of("outrigger.ambassador.http.key",
			"outrigger.ambassador.http.missingkey");

	private static final Pattern WORD_BOUNDARY = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+");

	/** The start of a URL's authority: a scheme and "//". */
	private static final Pattern AUTHORITY = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");

	/**
	 * {@code name=value} after {@code ? & ;}, whitespace or the start (JDBC, ODBC and
	 * query strings).
	 */
	private static final Pattern PARAMETER = Pattern.compile("(^|[?&;\\s])([A-Za-z0-9_.\\-]+)=([^&;#\\s]*)");

	private static final Pattern ORACLE_THIN = Pattern.compile("(jdbc:oracle:[a-z]+:[^/@:\\s]+/)([^@\\s]+)(@)",
			Pattern.CASE_INSENSITIVE);

	private SecretMasker() {
	}

	/**
	 * A copy of {@code tree} with secrets masked; nested maps and lists are masked too.
	 */
	public static Map<String, @Nullable Object> mask(Map<String, ?> tree) {
		return maskMap("", tree);
	}

	private static Map<String, @Nullable Object> maskMap(String path, Map<?, ?> tree) {
		Map<String, @Nullable Object> masked = new LinkedHashMap<>();
		tree.forEach((key, value) -> {
			String name = String.valueOf(key);
			String childPath = path.isEmpty() ? canonical(name) : path + "." + canonical(name);
			boolean secret = isSecretKey(name) && !VISIBLE.contains(childPath);
			masked.put(name, secret ? maskWhole(value) : maskNested(childPath, value));
		});
		return masked;
	}

	private static @Nullable Object maskNested(String path, @Nullable Object value) {
		if (value instanceof Map<?, ?> map) {
			return maskMap(path, map);
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> masked = new ArrayList<>(list.size());
			list.forEach((element) -> masked.add(maskNested(path, element)));
			return masked;
		}
		if (value instanceof String text) {
			return maskValue(text);
		}
		return value;
	}

	private static @Nullable Object maskWhole(@Nullable Object value) {
		// unset stays visible as unset: "no password configured" is worth knowing and no
		// secret
		return (value == null) ? null : MASK;
	}

	/** A string with the user-info of URLs and secret parameters masked. */
	static String maskValue(String text) {
		String masked = maskUserInfo(text);
		masked = ORACLE_THIN.matcher(masked).replaceAll("$1" + MASK + "$3");
		Matcher parameter = PARAMETER.matcher(masked);
		StringBuilder out = new StringBuilder();
		while (parameter.find()) {
			String replacement = isSecretKey(parameter.group(2)) && !parameter.group(3).isEmpty()
					? parameter.group(1) + parameter.group(2) + "=" + MASK : parameter.group();
			parameter.appendReplacement(out, Matcher.quoteReplacement(replacement));
		}
		parameter.appendTail(out);
		return out.toString();
	}

	/**
	 * Masks the user-info of every URL in {@code text}. The authority runs to the first
	 * {@code / ? #}, whitespace or the next URL; its user-info to the last {@code @} in
	 * it, so a password with an unencoded {@code @} or {@code ,} is masked whole.
	 */
	private static String maskUserInfo(String text) {
		Matcher url = AUTHORITY.matcher(text);
		StringBuilder out = new StringBuilder();
		int copied = 0;
		while (url.find()) {
			int start = url.end();
			int end = start;
			while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0
					&& !Character.isWhitespace(text.charAt(end))) {
				end++;
			}
			int at = text.lastIndexOf('@', end - 1);
			if (at < start && text.substring(start, end).indexOf(':') >= 0) {
				// a password with an unencoded / ? or # ("u:pa/ss@host") cuts the
				// authority short:
				// with a colon before the cut, an @ before the next space or URL ends the
				// user-info
				// (a host:port followed by a path with an @ in it is masked too: safe, if
				// too much)
				at = firstAtBeforeSpaceOrUrl(text, end);
			}
			if (at < start) {
				continue;
			}
			String userInfo = text.substring(start, at);
			int colon = userInfo.indexOf(':');
			out.append(text, copied, start);
			out.append((colon >= 0) ? userInfo.substring(0, colon + 1) + MASK : MASK);
			copied = at;
		}
		out.append(text, copied, text.length());
		return out.toString();
	}

	private static int firstAtBeforeSpaceOrUrl(String text, int from) {
		Matcher nextUrl = AUTHORITY.matcher(text);
		int limit = nextUrl.find(from) ? nextUrl.start() : text.length();
		for (int index = from; index < limit && !Character.isWhitespace(text.charAt(index)); index++) {
			if (text.charAt(index) == '@') {
				return index;
			}
		}
		return -1;
	}

	/** Whether a key names a secret (see the class comment). */
	static boolean isSecretKey(String key) {
		List<String> words = Arrays.stream(WORD_BOUNDARY.split(key))
			.filter((word) -> !word.isEmpty())
			.map((word) -> word.toLowerCase(Locale.ROOT))
			.toList();
		if (words.isEmpty()) {
			return false;
		}
		for (String word : words) {
			if (SECRET_WORDS.contains(word) || SECRET_PARTS.stream().anyMatch(word::contains)) {
				return true;
			}
		}
		String last = words.getLast();
		return last.endsWith("key") || last.endsWith("keys");
	}

	private static String canonical(String name) {
		return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
	}

}
