package dev.outrigger.work;

import dev.outrigger.testsupport.architecture.ModuleRules;
import org.junit.jupiter.api.Test;

/**
 * The module's dependency rules (ARCHITECTURE.md, "Inside a module"). One image, two
 * sides that never know each other: the coordinator and the agent; the agent's two
 * engines (share groups, classic consumer groups) neither. Both sides build on the item
 * model, the status topic, the queue topics and the Kafka plumbing, which know neither
 * side.
 */
class ArchitectureTests {

	private static final ModuleRules module = ModuleRules.of("dev.outrigger.work");

	private static final String[] SIDES = { "coordinator", "agent" };

	private static final String[] SHARED = { "item", "status", "topic", "kafka" };

	@Test
	void followsTheRulesOfEveryPatternModule() {
		module.checkPatternModule();
	}

	@Test
	void coordinatorAndAgentDoNotImportEachOther() {
		module.backendsDoNotImportEachOther(SIDES).check(module.classes());
	}

	@Test
	void enginesDoNotImportEachOther() {
		module.backendsDoNotImportEachOther("agent.share", "agent.classic").check(module.classes());
	}

	@Test
	void sharedPackagesImportNeitherSide() {
		for (String shared : SHARED) {
			module.importsNoneOf(shared, SIDES).check(module.classes());
		}
	}

	@Test
	void apiImportsNoBackendAndNoVendorType() {
		module.importsNoneOf("coordinator.api", "agent", "coordinator.callback", "kafka", "topic")
			.check(module.classes());
		module.usesNoVendorType("coordinator.api").check(module.classes());
	}

	@Test
	void onlyApiAndWiringUseWebTypes() {
		module.webTypesOnlyIn("coordinator.api", "autoconfigure").check(module.classes());
	}

}
