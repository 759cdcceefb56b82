package dev.outrigger.scatter;

import dev.outrigger.testsupport.architecture.ModuleRules;
import org.junit.jupiter.api.Test;

/**
 * The module's dependency rules (ARCHITECTURE.md, "Inside a module"): discovery is the
 * backend, behind the root's {@code LeafDirectory}; the merges know nothing of how
 * answers are fetched, the engine nothing of HTTP serving or of where leaves come from.
 */
class ArchitectureTests {

	private static final ModuleRules module = ModuleRules.of("dev.outrigger.scatter");

	@Test
	void followsTheRulesOfEveryPatternModule() {
		module.checkPatternModule();
	}

	@Test
	void discoveryStaysBehindTheApi() {
		module.checkBackendsBehind("api", "discovery");
	}

	@Test
	void mergesKnowOnlyTheModel() {
		module.importsNoneOf("merge", "gather", "api", "discovery", "autoconfigure").check(module.classes());
	}

	@Test
	void theEngineKnowsNeitherServingNorDiscovery() {
		module.importsNoneOf("gather", "api", "discovery", "autoconfigure").check(module.classes());
	}

	@Test
	void onlyApiAndWiringUseWebTypes() {
		module.webTypesOnlyIn("api", "autoconfigure").check(module.classes());
	}

}
