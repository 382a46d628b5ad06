package dev.couponhub.user.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The record of ended sessions that gateways poll ({@code GET /internal/v1/session-revocations}).
 *
 * @param retentionMargin a row is kept for the access-token lifetime plus this long after the session ended, so that
 *                        it outlives every access token of the session (and the gateway's clock skew)
 * @param purgeInterval   how often older rows are deleted
 */
@ConfigurationProperties("couponhub.session-revocations")
public record SessionRevocationProperties(
        @DefaultValue("1m") Duration retentionMargin,
        @DefaultValue("1m") Duration purgeInterval) {

    public SessionRevocationProperties {
        if (retentionMargin.isNegative()) {
            throw new IllegalArgumentException("couponhub.session-revocations.retention-margin must not be negative");
        }
        if (purgeInterval.isNegative() || purgeInterval.isZero()) {
            throw new IllegalArgumentException("couponhub.session-revocations.purge-interval must be positive");
        }
    }
}
