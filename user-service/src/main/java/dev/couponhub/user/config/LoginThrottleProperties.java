package dev.couponhub.user.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The login throttle: after {@code maxFailures} failed logins for one email within {@code window} (sliding), every
 * login for that email answers 429 {@code LOGIN_THROTTLED} until the oldest of them leaves the window.
 *
 * @param maxFailures   failed logins within the window that throttle an email
 * @param window        how long a failed login counts
 * @param purgeInterval how often failures older than the window are deleted
 */
@ConfigurationProperties("couponhub.login-throttle")
public record LoginThrottleProperties(
        @DefaultValue("5") int maxFailures,
        @DefaultValue("15m") Duration window,
        @DefaultValue("5m") Duration purgeInterval) {

    public LoginThrottleProperties {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("couponhub.login-throttle.max-failures must be at least 1");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("couponhub.login-throttle.window must be positive");
        }
        if (purgeInterval.isNegative() || purgeInterval.isZero()) {
            throw new IllegalArgumentException("couponhub.login-throttle.purge-interval must be positive");
        }
    }
}
