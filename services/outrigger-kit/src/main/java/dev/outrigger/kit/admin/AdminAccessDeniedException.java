package dev.outrigger.kit.admin;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An admin operation refused: 401 when credentials are missing, 403 when they are wrong
 * or the caller is not local.
 */
public class AdminAccessDeniedException extends ErrorResponseException {

	private AdminAccessDeniedException(HttpStatus status, String title, String detail) {
		super(status, problem(status, title, detail), null);
		if (status == HttpStatus.UNAUTHORIZED) {
			getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"outrigger-admin\"");
		}
	}

	static AdminAccessDeniedException unauthorized(String detail) {
		return new AdminAccessDeniedException(HttpStatus.UNAUTHORIZED, "Admin token required", detail);
	}

	static AdminAccessDeniedException forbidden(String detail) {
		return new AdminAccessDeniedException(HttpStatus.FORBIDDEN, "Admin operation refused", detail);
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

}
