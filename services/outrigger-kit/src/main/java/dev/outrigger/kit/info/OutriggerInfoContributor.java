package dev.outrigger.kit.info;

import java.util.Map;
import java.util.TreeMap;

import dev.outrigger.kit.ContainerIdentity;
import dev.outrigger.kit.admin.AdminAccessPolicy;
import dev.outrigger.kit.lifecycle.Lifecycle;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * {@code /actuator/info}: the pattern, its version and the lifecycle state for every
 * caller; for admin callers (as {@link AdminAccessPolicy} decides for mutating admin
 * endpoints) also the effective configuration — every {@code outrigger.*} properties
 * object as bound, defaults included, with secrets masked by {@link SecretMasker}.
 * Patterns add their current state with their own {@link InfoContributor} under the key
 * {@code state}.
 * <p>
 * An {@code InfoContributor} is not given the request, and the web extension of an
 * endpoint is given no caller address, so the caller is read from the request Spring MVC
 * has bound to the thread. Without an HTTP request (JMX, a direct call) nothing is shown:
 * the configuration is shown only to a caller known to be an admin. Do not cache the info
 * endpoint ({@code management.endpoint.info.cache.time-to-live}): one caller's answer
 * would be served to the next.
 */
public class OutriggerInfoContributor implements InfoContributor {

	private final ContainerIdentity identity;

	private final Lifecycle lifecycle;

	private final ApplicationContext context;

	private final JsonMapper json;

	private final AdminAccessPolicy policy;

	public OutriggerInfoContributor(ContainerIdentity identity, Lifecycle lifecycle, ApplicationContext context,
			JsonMapper json, AdminAccessPolicy policy) {
		this.identity = identity;
		this.lifecycle = lifecycle;
		this.context = context;
		this.json = json;
		this.policy = policy;
	}

	@Override
	public void contribute(Info.Builder builder) {
		builder.withDetail("pattern", this.identity.pattern())
			.withDetail("version", this.identity.version())
			.withDetail("lifecycle", Map.of("state", this.lifecycle.status().state().name(), "since",
					this.lifecycle.status().since().toString()));
		if (callerIsAdmin()) {
			builder.withDetail("config", effectiveConfig());
		}
	}

	private boolean callerIsAdmin() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (!(attributes instanceof ServletRequestAttributes servlet)) {
			return false;
		}
		HttpServletRequest request = servlet.getRequest();
		return this.policy.permits(request.getRemoteAddr(), request.getHeader(HttpHeaders.AUTHORIZATION));
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> effectiveConfig() {
		Map<String, Object> config = new TreeMap<>();
		ConfigurationPropertiesBean.getAll(this.context).values().forEach((bean) -> {
			String prefix = bean.getAnnotation().prefix();
			if (prefix.equals("outrigger") || prefix.startsWith("outrigger.")) {
				config.put(prefix, this.json.convertValue(bean.getInstance(), Map.class));
			}
		});
		// masked as one tree, so a setting's whole path decides (see
		// SecretMasker.VISIBLE)
		return SecretMasker.mask(config);
	}

}
