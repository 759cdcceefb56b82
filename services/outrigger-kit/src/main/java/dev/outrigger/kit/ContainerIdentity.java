package dev.outrigger.kit;

/**
 * What this container is, as reported by {@code /lifecycle} and {@code /actuator/info}.
 *
 * @param pattern the Outrigger pattern it runs
 * @param version its version
 */
public record ContainerIdentity(String pattern, String version) {
}
