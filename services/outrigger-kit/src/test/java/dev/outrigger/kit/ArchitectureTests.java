package dev.outrigger.kit;

import dev.outrigger.testsupport.architecture.ModuleRules;
import org.junit.jupiter.api.Test;

/**
 * The kit's dependency rules, the same as a pattern module's where they apply
 * (ARCHITECTURE.md, "Inside a module"). The kit has no backends; its subpackages are the
 * contract's concerns.
 */
class ArchitectureTests {

	private static final ModuleRules module = ModuleRules.of("dev.outrigger.kit");

	@Test
	void rootPackageImportsNoSubpackageButConfig() {
		// config is the settings foundation every module's properties use to fail in one
		// line (as
		// the pattern modules' root packages do); it imports no other kit package, see
		// below
		module.rootImportsNoSubpackage("config").check(module.classes());
	}

	@Test
	void rootPackageUsesNoWebOrVendorType() {
		module.rootUsesNoWebOrVendorType().check(module.classes());
	}

	@Test
	void configImportsNoOtherKitPackage() {
		module.importsNoneOf("config", "admin", "autoconfigure", "info", "lifecycle", "problem")
			.check(module.classes());
	}

	@Test
	void onlyTheWebTierAndWiringUseWebTypes() {
		// info is an HTTP edge too: /actuator/info shows the configuration to admin
		// callers only
		module.webTypesOnlyIn("admin", "problem", "lifecycle.api", "info", "autoconfigure").check(module.classes());
	}

	@Test
	void wiringLivesInAutoconfigureAndConfig() {
		module.configurationsLiveIn("autoconfigure").check(module.classes());
		module.environmentPostProcessorsLiveIn("config").check(module.classes());
	}

}
