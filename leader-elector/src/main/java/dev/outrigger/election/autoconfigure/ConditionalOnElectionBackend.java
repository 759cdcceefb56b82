package dev.outrigger.election.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.outrigger.election.ElectionProperties.Backend;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the effective election backend (explicit, or chosen as
 * {@code BackendChoice} describes) is {@link #value()}.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnElectionBackendCondition.class)
public @interface ConditionalOnElectionBackend {

	Backend value();

}
