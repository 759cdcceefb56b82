package dev.outrigger.work.coordinator.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An operation of the queue's producers (submitting, cancelling): open to any caller,
 * unless {@code OUTRIGGER_WORK_CLIENT_TOKEN} is set (see
 * {@link ClientAccessInterceptor}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ClientOperation {

}
