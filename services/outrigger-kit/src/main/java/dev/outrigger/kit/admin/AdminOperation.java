package dev.outrigger.kit.admin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler method (or every handler of a controller) as a mutating admin
 * operation: it answers only loopback callers, or, when {@code OUTRIGGER_ADMIN_TOKEN} is
 * set, only callers that present {@code Authorization: Bearer <token>}.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AdminOperation {

}
