package dev.outrigger.kit.autoconfigure;

import dev.outrigger.kit.ContainerIdentity;
import dev.outrigger.kit.KitProperties;
import dev.outrigger.kit.admin.AdminAccessInterceptor;
import dev.outrigger.kit.admin.AdminAccessPolicy;
import dev.outrigger.kit.info.OutriggerInfoContributor;
import dev.outrigger.kit.lifecycle.Lifecycle;
import dev.outrigger.kit.lifecycle.api.LifecycleController;
import dev.outrigger.kit.problem.ProblemAdvice;
import dev.outrigger.kit.problem.ProblemErrorController;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The HTTP side of the contract: {@code /lifecycle}, admin safety, problem+json errors,
 * and {@code /actuator/info}.
 */
@AutoConfiguration(after = LifecycleAutoConfiguration.class,
		before = { WebMvcAutoConfiguration.class, ErrorMvcAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public final class WebContractAutoConfiguration {

	WebContractAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	LifecycleController lifecycleController(Lifecycle lifecycle, ContainerIdentity identity, KitProperties properties) {
		return new LifecycleController(lifecycle, identity.pattern(), identity.version(),
				properties.lifecycle().drainTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	AdminAccessPolicy adminAccessPolicy(KitProperties properties) {
		return new AdminAccessPolicy(properties.admin().token());
	}

	// by name: any application's WebMvcConfigurer has this type
	@Bean
	@ConditionalOnMissingBean(name = "adminAccessConfigurer")
	WebMvcConfigurer adminAccessConfigurer(AdminAccessPolicy policy) {
		AdminAccessInterceptor interceptor = new AdminAccessInterceptor(policy);
		return new WebMvcConfigurer() {
			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(interceptor);
			}
		};
	}

	@Bean
	@ConditionalOnMissingBean
	ProblemAdvice problemAdvice() {
		return new ProblemAdvice();
	}

	@Bean
	@ConditionalOnMissingBean
	ProblemErrorController problemErrorController() {
		return new ProblemErrorController();
	}

	@Bean
	@ConditionalOnMissingBean
	OutriggerInfoContributor outriggerInfoContributor(ContainerIdentity identity, Lifecycle lifecycle,
			ApplicationContext context, JsonMapper json, AdminAccessPolicy policy) {
		return new OutriggerInfoContributor(identity, lifecycle, context, json, policy);
	}

}
