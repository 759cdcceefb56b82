package dev.outrigger.election;

import dev.outrigger.testsupport.architecture.ModuleRules;
import org.junit.jupiter.api.Test;

/**
 * The module's dependency rules (ARCHITECTURE.md, "Inside a module"): the backends and
 * the webhook notifier sit behind the root package and know nothing of one another or of
 * the API.
 */
class ArchitectureTests {

	private static final ModuleRules module = ModuleRules.of("dev.outrigger.election");

	private static final String[] BACKENDS = { "kubernetes", "kafka", "jdbc", "standalone", "notify" };

	@Test
	void followsTheRulesOfEveryPatternModule() {
		module.checkPatternModule();
	}

	@Test
	void backendsStayBehindTheApi() {
		module.checkBackendsBehind("api", BACKENDS);
	}

	@Test
	void onlyApiAndWiringUseWebTypes() {
		module.webTypesOnlyIn("api", "autoconfigure").check(module.classes());
	}

}
