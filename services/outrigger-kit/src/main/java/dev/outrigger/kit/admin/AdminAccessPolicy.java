package dev.outrigger.kit.admin;

import java.net.InetAddress;

import org.jspecify.annotations.Nullable;

/**
 * Who may call an admin operation. Without a token, only callers on the loopback
 * interface (the pod itself); with a token, any caller that presents it as a bearer
 * token, and nobody else. Forwarded-for headers are never trusted.
 */
public final class AdminAccessPolicy {

	private final @Nullable BearerToken token;

	public AdminAccessPolicy(@Nullable String token) {
		this.token = (token == null || token.isEmpty()) ? null : new BearerToken(token);
	}

	/**
	 * Checks a caller.
	 * @param remoteAddress the caller's IP address as the server saw it
	 * @param authorization the caller's {@code Authorization} header, if any
	 * @throws AdminAccessDeniedException when the caller may not proceed
	 */
	public void check(String remoteAddress, @Nullable String authorization) {
		if (this.token == null) {
			if (!isLoopback(remoteAddress)) {
				throw AdminAccessDeniedException.forbidden("Admin operations answer only callers on this pod's "
						+ "loopback interface; call from localhost, or set OUTRIGGER_ADMIN_TOKEN on the container "
						+ "and send 'Authorization: Bearer <token>'.");
			}
			return;
		}
		if (!BearerToken.presented(authorization)) {
			throw AdminAccessDeniedException
				.unauthorized("This admin operation needs the header 'Authorization: Bearer <OUTRIGGER_ADMIN_TOKEN>'.");
		}
		if (!this.token.matches(authorization)) {
			throw AdminAccessDeniedException
				.forbidden("The bearer token does not match OUTRIGGER_ADMIN_TOKEN; send the container's admin token.");
		}
	}

	/**
	 * Whether a caller passes {@link #check}, for reads that show more to admins instead
	 * of refusing others.
	 */
	public boolean permits(String remoteAddress, @Nullable String authorization) {
		try {
			check(remoteAddress, authorization);
			return true;
		}
		catch (AdminAccessDeniedException ex) {
			return false;
		}
	}

	private static boolean isLoopback(String address) {
		try {
			return InetAddress.ofLiteral(address).isLoopbackAddress();
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
