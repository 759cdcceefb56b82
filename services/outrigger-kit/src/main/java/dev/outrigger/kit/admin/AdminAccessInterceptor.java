package dev.outrigger.kit.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Applies the {@link AdminAccessPolicy} to every handler marked {@link AdminOperation}.
 */
public class AdminAccessInterceptor implements HandlerInterceptor {

	private final AdminAccessPolicy policy;

	public AdminAccessInterceptor(AdminAccessPolicy policy) {
		this.policy = policy;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (handler instanceof HandlerMethod method && isAdminOperation(method)) {
			this.policy.check(request.getRemoteAddr(), request.getHeader(HttpHeaders.AUTHORIZATION));
		}
		return true;
	}

	private static boolean isAdminOperation(HandlerMethod method) {
		return method.hasMethodAnnotation(AdminOperation.class)
				|| method.getBeanType().isAnnotationPresent(AdminOperation.class);
	}

}
