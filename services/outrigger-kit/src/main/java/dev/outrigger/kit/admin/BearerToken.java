package dev.outrigger.kit.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.jspecify.annotations.Nullable;

/**
 * A secret that callers present as {@code Authorization: Bearer <token>}, compared in
 * constant time so a caller learns nothing from how long a refusal takes.
 */
public final class BearerToken {

	private static final String BEARER = "Bearer ";

	private final byte[] secret;

	public BearerToken(String secret) {
		if (secret.isEmpty()) {
			throw new IllegalArgumentException("a bearer token must not be empty");
		}
		this.secret = secret.getBytes(StandardCharsets.UTF_8);
	}

	/** Whether an {@code Authorization} header carries a bearer token at all. */
	public static boolean presented(@Nullable String authorization) {
		return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
	}

	/** Whether an {@code Authorization} header carries this token. */
	public boolean matches(@Nullable String authorization) {
		if (!presented(authorization)) {
			return false;
		}
		byte[] presented = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
		return MessageDigest.isEqual(this.secret, presented);
	}

}
