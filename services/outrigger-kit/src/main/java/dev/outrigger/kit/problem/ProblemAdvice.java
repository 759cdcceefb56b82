package dev.outrigger.kit.problem;

import dev.outrigger.kit.lifecycle.IllegalLifecycleTransitionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers every error raised in a handler as RFC 9457 problem+json: Spring MVC's own
 * exceptions and {@code ErrorResponse}s through the base class, lifecycle conflicts as
 * 409, and anything unexpected as 500 without leaking internals.
 */
@RestControllerAdvice
public class ProblemAdvice extends ResponseEntityExceptionHandler {

	private static final Log log = LogFactory.getLog(ProblemAdvice.class);

	@ExceptionHandler
	ProblemDetail illegalTransition(IllegalLifecycleTransitionException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setTitle("Illegal lifecycle transition");
		problem.setProperty("state", ex.from().name());
		problem.setProperty("requested", ex.to().name());
		return problem;
	}

	@Override
	protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, "No endpoint answers " + ex.getHttpMethod()
				+ " /" + ex.getResourcePath() + "; check the path against this pattern's API (its README lists it).");
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	@ExceptionHandler
	ProblemDetail unexpected(Exception ex) {
		log.error("Unexpected error while handling a request", ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"The container failed to handle this request (" + ex.getClass().getSimpleName()
						+ "); it logged the cause. Retry later, and report it if it persists.");
		problem.setTitle("Internal error");
		return problem;
	}

}
