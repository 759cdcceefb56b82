package dev.outrigger.testsupport.architecture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.metaAnnotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The dependency rules every Outrigger module keeps (see ARCHITECTURE.md, "Inside a
 * module"), for one module's main classes. Each module's {@code ArchitectureTests} names
 * its own packages, relative to its root package:
 *
 * <pre class="code">
 * ModuleRules module = ModuleRules.of("dev.outrigger.election");
 * module.backendsDoNotImportEachOther("kubernetes", "kafka", "jdbc").check(module.classes());
 * </pre>
 *
 * A package name that matches no class is refused at once, so a rule cannot go on passing
 * vacuously after a package was renamed.
 */
public final class ModuleRules {

	/**
	 * Web types: Spring MVC and HTTP, servlets, Boot's web server, and the kit's own web
	 * tier (problem+json, admin guard, lifecycle endpoints).
	 */
	public static final List<String> WEB = List.of("org.springframework.web..", "org.springframework.http..",
			"jakarta.servlet..", "org.springframework.boot.web..", "org.springframework.boot.webmvc..",
			"org.springframework.boot.tomcat..", "org.apache.catalina..", "dev.outrigger.kit.problem..",
			"dev.outrigger.kit.admin..", "dev.outrigger.kit.lifecycle.api..");

	/**
	 * Vendor types: what a backend speaks, and so what nothing but that backend may know.
	 */
	public static final List<String> VENDOR = List.of("org.apache.kafka..", "org.springframework.kafka..",
			"dev.outrigger.kafka..", "io.fabric8..", "io.netty..", "java.sql..", "javax.sql..", "com.zaxxer.hikari..",
			"org.springframework.jdbc..", "org.postgresql..", "org.apache.hc..", "io.lettuce..", "redis.clients..",
			"org.yaml.snakeyaml..", "org.eclipse.jgit..");

	/**
	 * All that a root package may use besides itself. An allow-list rather than a list of
	 * forbidden web and vendor packages, so a vendor nobody thought of is caught too:
	 * <ul>
	 * <li>the JDK, and jspecify's nullness annotations;</li>
	 * <li>Boot's binding: {@code @ConfigurationProperties}, {@code @DefaultValue} and
	 * friends ({@code context.properties}), unit annotations ({@code convert}) and
	 * Spring's {@code DataSize} — the properties are the pattern's settings, and binding
	 * is how a container gets them; they bring no web or vendor type;</li>
	 * <li>the logging and metrics facades (commons-logging, SLF4J, Micrometer's API):
	 * every layer logs and counts, and they name no backend;</li>
	 * <li>the kit's root, its settings failures ({@code kit.config}) and its lifecycle
	 * SPI ({@code kit.lifecycle}) — not the kit's web tier.</li>
	 * </ul>
	 */
	public static final List<String> MODEL = List.of("java..", "org.jspecify.annotations..",
			"org.springframework.boot.context.properties..", "org.springframework.boot.convert..",
			"org.springframework.util.unit..", "org.apache.commons.logging..", "org.slf4j..", "io.micrometer.core..",
			"dev.outrigger.kit", "dev.outrigger.kit.config", "dev.outrigger.kit.lifecycle");

	// The module's main class (@SpringBootApplication or @SpringBootConfiguration) sits
	// in the root
	// package so that it names the application; it is the one class there that may speak
	// Spring.
	private static final String MAIN_CLASS = "org.springframework.boot.SpringBootConfiguration";

	private static final String CONFIGURATION = "org.springframework.context.annotation.Configuration";

	private static final List<String> ENVIRONMENT_POST_PROCESSORS = List.of(
			"org.springframework.boot.EnvironmentPostProcessor",
			"org.springframework.boot.env.EnvironmentPostProcessor");

	private final String root;

	private final JavaClasses classes;

	private ModuleRules(String root, JavaClasses classes) {
		this.root = root;
		this.classes = classes;
	}

	/**
	 * The rules for the module whose root package is {@code root}, over its main classes
	 * (test classes and jars are left out).
	 * @param root the module's root package, such as {@code dev.outrigger.election}
	 * @return the module's rules
	 */
	public static ModuleRules of(String root) {
		JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
			.importPackages(root);
		if (classes.stream().noneMatch((type) -> type.getPackageName().equals(root))) {
			throw new IllegalArgumentException("no main class in " + root + "; is it the module's root package?");
		}
		return new ModuleRules(root, classes);
	}

	/**
	 * The module's main classes.
	 * @return the imported classes, to {@link ArchRule#check check} a rule against
	 */
	public JavaClasses classes() {
		return this.classes;
	}

	/**
	 * The root package imports none of its subpackages: it holds the model and the SPI
	 * that the subpackages build on.
	 * @param except subpackages the root may use all the same; say why where this is
	 * called
	 * @return the rule
	 */
	public ArchRule rootImportsNoSubpackage(String... except) {
		DescribedPredicate<JavaClass> subpackage = resideInAPackage(this.root + "..")
			.and(not(resideInAPackage(this.root)));
		for (String allowed : except) {
			subpackage = subpackage.and(not(resideInAPackage(packageOf(allowed))));
		}
		String description = "a subpackage of " + this.root
				+ ((except.length > 0) ? " other than " + String.join(", ", except) : "");
		return noClasses().that()
			.resideInAPackage(this.root)
			.should()
			.dependOnClassesThat(subpackage.as(description))
			.because("the root package holds the pattern's model and SPI, which the subpackages build on");
	}

	/**
	 * The root package uses only the JDK, binding, logging, metrics and the kit's SPI: no
	 * web type and no vendor type (see {@link #MODEL}).
	 * @param alsoAllowed further packages (ArchUnit syntax) this module's root may use;
	 * say why where this is called
	 * @return the rule
	 */
	public ArchRule rootUsesNoWebOrVendorType(String... alsoAllowed) {
		List<String> allowed = new ArrayList<>(MODEL);
		allowed.add(this.root);
		allowed.addAll(Arrays.asList(alsoAllowed));
		return ArchRuleDefinition.classes()
			.that()
			.resideInAPackage(this.root)
			.and(not(metaAnnotatedWith(MAIN_CLASS)))
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage(allowed.toArray(String[]::new))
			.because("the root package holds the pattern's model; web and vendor types belong to api and "
					+ "the backends");
	}

	/**
	 * The given packages (each with its subpackages) never import one another: backends,
	 * or the two sides of a module.
	 * @param packages packages relative to the root, such as {@code kafka} or
	 * {@code agent.share}
	 * @return the rule
	 */
	public ArchRule backendsDoNotImportEachOther(String... packages) {
		for (String name : packages) {
			packageOf(name);
		}
		// the longest name first, so that agent.share wins over agent
		List<String> names = Arrays.stream(packages)
			.sorted(Comparator.comparingInt(String::length).reversed())
			.toList();
		String description = String.join(", ", packages) + " of " + this.root;
		SliceAssignment assignment = new SliceAssignment() {

			@Override
			public SliceIdentifier getIdentifierOf(JavaClass type) {
				for (String name : names) {
					String full = ModuleRules.this.root + "." + name;
					if (type.getPackageName().equals(full) || type.getPackageName().startsWith(full + ".")) {
						return SliceIdentifier.of(name);
					}
				}
				return SliceIdentifier.ignore();
			}

			@Override
			public String getDescription() {
				return description;
			}

		};
		return slices().assignedFrom(assignment)
			.should()
			.notDependOnEachOther()
			.because("a backend sits behind the root package's interface, and knows no other backend");
	}

	/**
	 * Classes in {@code from} (and its subpackages) import none of {@code packages}:
	 * {@code api} knows no backend.
	 * @param from a package relative to the root, such as {@code api}
	 * @param packages packages relative to the root
	 * @return the rule
	 */
	public ArchRule importsNoneOf(String from, String... packages) {
		return noClasses().that()
			.resideInAPackage(packageOf(from))
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(packagesOf(packages));
	}

	/**
	 * Classes in the given packages use no vendor type (see {@link #VENDOR}).
	 * @param packages packages relative to the root, such as {@code api}
	 * @return the rule
	 */
	public ArchRule usesNoVendorType(String... packages) {
		return noClasses().that()
			.resideInAnyPackage(packagesOf(packages))
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(VENDOR.toArray(String[]::new))
			.because("the HTTP API never knows which backend runs");
	}

	/**
	 * Web types (see {@link #WEB}) are used only in the given packages: the domain throws
	 * its own exceptions, and {@code api} maps them to problem+json.
	 * @param packages packages relative to the root: {@code api}, {@code autoconfigure},
	 * and a backend whose vendor is the web (a servlet filter)
	 * @return the rule
	 */
	public ArchRule webTypesOnlyIn(String... packages) {
		return noClasses().that()
			.resideOutsideOfPackages(packagesOf(packages))
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(WEB.toArray(String[]::new))
			.because("only the HTTP edge speaks HTTP; the domain stays callable without a web server");
	}

	/**
	 * {@code @Configuration} and {@code @AutoConfiguration} classes live in the given
	 * package (the main class aside).
	 * @param wiring a package relative to the root, {@code autoconfigure}
	 * @return the rule
	 */
	public ArchRule configurationsLiveIn(String wiring) {
		return ArchRuleDefinition.classes()
			.that(metaAnnotatedWith(CONFIGURATION).and(not(metaAnnotatedWith(MAIN_CLASS)))
				.as("are @Configuration classes other than the main class"))
			.should()
			.resideInAPackage(packageOf(wiring))
			.because("Spring only wires, in one place; behaviour types are built with new");
	}

	/**
	 * {@code EnvironmentPostProcessor}s live in the given package.
	 * @param wiring a package relative to the root, {@code autoconfigure} (the kit:
	 * {@code config})
	 * @return the rule
	 */
	public ArchRule environmentPostProcessorsLiveIn(String wiring) {
		DescribedPredicate<JavaClass> postProcessor = assignableTo(ENVIRONMENT_POST_PROCESSORS.get(0))
			.or(assignableTo(ENVIRONMENT_POST_PROCESSORS.get(1)));
		return ArchRuleDefinition.classes()
			.that(postProcessor.as("are EnvironmentPostProcessors"))
			.should()
			.resideInAPackage(packageOf(wiring))
			.because("they are wiring, and are listed in META-INF/spring.factories beside it")
			.allowEmptyShould(true);
	}

	/**
	 * Checks the rules every pattern module shares: the root package holds the pattern's
	 * own nouns (it imports no subpackage and no web or vendor type), and the wiring
	 * lives in {@code autoconfigure}. Each module's test adds the rules of its own
	 * packages.
	 */
	public void checkPatternModule() {
		rootImportsNoSubpackage().check(this.classes);
		rootUsesNoWebOrVendorType().check(this.classes);
		configurationsLiveIn("autoconfigure").check(this.classes);
		environmentPostProcessorsLiveIn("autoconfigure").check(this.classes);
	}

	/**
	 * Checks that the backends never import one another and that {@code api} imports none
	 * of them and no vendor type: the HTTP API never knows which backend runs.
	 * @param api the API package relative to the root, {@code api}
	 * @param backends the backend packages relative to the root
	 */
	public void checkBackendsBehind(String api, String... backends) {
		backendsDoNotImportEachOther(backends).check(this.classes);
		importsNoneOf(api, backends).check(this.classes);
		usesNoVendorType(api).check(this.classes);
	}

	private String[] packagesOf(String... relative) {
		return Arrays.stream(relative).map(this::packageOf).toArray(String[]::new);
	}

	// "api" -> "dev.outrigger.x.api..", refusing a name that matches no class
	private String packageOf(String relative) {
		String full = this.root + "." + relative;
		boolean present = this.classes.stream()
			.anyMatch((type) -> type.getPackageName().equals(full) || type.getPackageName().startsWith(full + "."));
		if (!present) {
			throw new IllegalArgumentException("no main class in " + full + "; was the package renamed?");
		}
		return full + "..";
	}

}
