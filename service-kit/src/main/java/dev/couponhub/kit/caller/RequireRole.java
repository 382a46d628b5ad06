package dev.couponhub.kit.caller;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link Caller} parameter: callers of any other role get 403 {@code FORBIDDEN}. A {@code PARTNER} caller (a
 * store's API key) is refused on every parameter that does not list {@code PARTNER} here, annotated or not.
 */
@Documented
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface RequireRole {

    Role[] value();
}
