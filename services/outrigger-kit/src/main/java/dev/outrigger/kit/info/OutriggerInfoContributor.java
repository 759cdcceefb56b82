package dev.outrigger.kit.info;

import java.util.Map;
import java.util.TreeMap;

import dev.outrigger.kit.ContainerIdentity;
import dev.outrigger.kit.lifecycle.Lifecycle;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.context.ApplicationContext;

/**
 * {@code /actuator/info}: the pattern, its version, the lifecycle state, and the effective
 * configuration — every {@code outrigger.*} properties object as bound, defaults included, with
 * secrets masked. Patterns add their current state with their own {@link InfoContributor}
 * under the key {@code state}.
 */
public class OutriggerInfoContributor implements InfoContributor {

	private final ContainerIdentity identity;

	private final Lifecycle lifecycle;

	private final ApplicationContext context;

	private final JsonMapper json;

	public OutriggerInfoContributor(ContainerIdentity identity, Lifecycle lifecycle, ApplicationContext context,
			JsonMapper json) {
		this.identity = identity;
		this.lifecycle = lifecycle;
		this.context = context;
		this.json = json;
	}

	@Override
	public void contribute(Info.Builder builder) {
		builder.withDetail("pattern", this.identity.pattern())
			.withDetail("version", this.identity.version())
			.withDetail("lifecycle", Map.of("state", this.lifecycle.status().state().name(), "since",
					this.lifecycle.status().since().toString()))
			.withDetail("config", effectiveConfig());
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> effectiveConfig() {
		Map<String, Object> config = new TreeMap<>();
		ConfigurationPropertiesBean.getAll(this.context).values().forEach((bean) -> {
			String prefix = bean.getAnnotation().prefix();
			if (prefix.equals("outrigger") || prefix.startsWith("outrigger.")) {
				config.put(prefix, SecretMasker.mask(this.json.convertValue(bean.getInstance(), Map.class)));
			}
		});
		return config;
	}

}
