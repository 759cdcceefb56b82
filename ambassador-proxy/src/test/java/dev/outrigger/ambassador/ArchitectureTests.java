package dev.outrigger.ambassador;

import dev.outrigger.testsupport.architecture.ModuleRules;
import org.junit.jupiter.api.Test;

/**
 * The module's dependency rules (ARCHITECTURE.md, "Inside a module"): the RESP proxy and
 * HTTP sharding are two backends behind the root package's {@code ShardedProxy}; both
 * place keys with {@code ring}, which knows neither.
 */
class ArchitectureTests {

	private static final ModuleRules module = ModuleRules.of("dev.outrigger.ambassador");

	private static final String[] BACKENDS = { "resp", "http" };

	@Test
	void followsTheRulesOfEveryPatternModule() {
		module.checkPatternModule();
	}

	@Test
	void backendsStayBehindTheApi() {
		module.checkBackendsBehind("api", BACKENDS);
	}

	@Test
	void ringImportsNoBackend() {
		module.importsNoneOf("ring", BACKENDS).check(module.classes());
	}

	@Test
	void onlyApiHttpShardingAndWiringUseWebTypes() {
		// HTTP sharding is a servlet filter: the web is its vendor
		module.webTypesOnlyIn("api", "http", "autoconfigure").check(module.classes());
	}

}
