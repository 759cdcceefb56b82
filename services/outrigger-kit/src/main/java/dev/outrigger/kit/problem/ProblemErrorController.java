package dev.outrigger.kit.problem;

import java.net.URI;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that never reached a handler (rejected by the servlet container, thrown in a
 * filter) end at the error path; answer them as problem+json too, instead of Boot's
 * default body.
 */
@RestController
@RequestMapping("${server.error.path:/error}")
public class ProblemErrorController implements ErrorController {

	@RequestMapping
	public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		HttpStatus status = statusOf(request);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detailFor(status));
		Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		if (path != null) {
			try {
				problem.setInstance(URI.create(path.toString()));
			}
			catch (IllegalArgumentException ex) {
				// a path that is not a valid URI reference is left out of the answer
			}
		}
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private static HttpStatus statusOf(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = (code instanceof Integer value) ? HttpStatus.resolve(value) : null;
		return (status != null) ? status : HttpStatus.INTERNAL_SERVER_ERROR;
	}

	private static String detailFor(HttpStatus status) {
		if (status == HttpStatus.NOT_FOUND) {
			return "No such resource; GET /actuator/info lists this container's pattern and version.";
		}
		if (status.is4xxClientError()) {
			return "The request was rejected (" + status.getReasonPhrase() + "); check its method, headers and body.";
		}
		return "The container failed to handle this request; it logged the cause. Retry later.";
	}

}
