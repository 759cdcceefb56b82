package dev.outrigger.work.coordinator.api;

import dev.outrigger.kit.admin.BearerToken;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Guards {@link ClientOperation}s with the producers' token: a caller presents it, or the
 * admin token, as a bearer token. Being on loopback is not enough here (unlike for admin
 * operations without an admin token): behind a proxy sidecar or a port-forward every
 * caller is.
 */
public final class ClientAccessInterceptor implements HandlerInterceptor {

	private final BearerToken token;

	private final @Nullable BearerToken admin;

	/**
	 * @param admin the admin token, if one is set
	 */
	public ClientAccessInterceptor(BearerToken token, @Nullable BearerToken admin) {
		this.token = token;
		this.admin = admin;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method) || !method.hasMethodAnnotation(ClientOperation.class)) {
			return true;
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (this.token.matches(authorization) || (this.admin != null && this.admin.matches(authorization))) {
			return true;
		}
		if (!BearerToken.presented(authorization)) {
			throw refused(HttpStatus.UNAUTHORIZED,
					"Submitting and cancelling need the header 'Authorization: Bearer <OUTRIGGER_WORK_CLIENT_TOKEN>'.");
		}
		throw refused(HttpStatus.FORBIDDEN,
				"The bearer token matches neither OUTRIGGER_WORK_CLIENT_TOKEN nor the admin token.");
	}

	private static ErrorResponseException refused(HttpStatus status, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle("Client token required");
		ErrorResponseException refused = new ErrorResponseException(status, problem, null);
		if (status == HttpStatus.UNAUTHORIZED) {
			refused.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"outrigger-work\"");
		}
		return refused;
	}

}
