package dev.outrigger.kit.info;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Masks secrets in a configuration tree before it is shown: values whose key names a secret
 * (password, token, secret, credentials, private key…) and passwords inside URLs.
 */
public final class SecretMasker {

	static final String MASK = "******";

	private static final List<String> SECRET_WORDS = List.of("password", "passwd", "secret", "token", "credential",
			"privatekey", "apikey", "accesskey", "auth");

	private static final Pattern URL_PASSWORD = Pattern.compile("(?<=://)([^/@:\\s]*):([^/@\\s]*)@");

	private SecretMasker() {
	}

	/** A copy of {@code tree} with secrets masked; nested maps and lists are masked too. */
	public static Map<String, Object> mask(Map<String, ?> tree) {
		Map<String, Object> masked = new LinkedHashMap<>();
		tree.forEach((key, value) -> masked.put(key, isSecretKey(key) ? maskValue(value) : maskNested(value)));
		return masked;
	}

	@SuppressWarnings("unchecked")
	private static Object maskNested(Object value) {
		if (value instanceof Map<?, ?> map) {
			return mask((Map<String, ?>) map);
		}
		if (value instanceof List<?> list) {
			return list.stream().map(SecretMasker::maskNested).toList();
		}
		if (value instanceof String text) {
			return URL_PASSWORD.matcher(text).replaceAll("$1:" + MASK + "@");
		}
		return value;
	}

	private static Object maskValue(Object value) {
		return (value == null) ? null : MASK;
	}

	static boolean isSecretKey(String key) {
		String normalized = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
		return SECRET_WORDS.stream().anyMatch(normalized::contains);
	}

}
