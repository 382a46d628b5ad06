package dev.couponhub.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway learns which sessions ended (logout, password change, account closed, refresh-token reuse).
 *
 * @param revocationsPath path of user-service's session revocations, below {@code couponhub.gateway.services.user}
 * @param pollInterval how often the gateway asks user-service for sessions revoked since its last answer; a revoked
 *                     session's tokens are refused at most this long (plus one answer's time) after the revocation
 * @param timeout upper bound for one answer of user-service
 * @param retention how long a revoked session is remembered: at least the access tokens' lifetime plus the clock skew,
 *                  after which every token of the session has expired anyway
 */
@ConfigurationProperties("couponhub.gateway.sessions")
public record SessionProperties(
        @DefaultValue("/internal/v1/session-revocations") String revocationsPath,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("2s") Duration timeout,
        @DefaultValue("20m") Duration retention) {

    public SessionProperties {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("couponhub.gateway.sessions.poll-interval must be positive");
        }
    }
}
