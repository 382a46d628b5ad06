package dev.couponhub.user.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Opaque refresh tokens.
 *
 * @param ttl            lifetime of one refresh token (each refresh issues a new one with a fresh lifetime)
 * @param purgeAfter     expired tokens are deleted this long after they expired
 * @param purgeInterval  how often expired tokens are purged
 */
@ConfigurationProperties("couponhub.refresh-token")
public record RefreshTokenProperties(
        @DefaultValue("14d") Duration ttl,
        @DefaultValue("1d") Duration purgeAfter,
        @DefaultValue("1h") Duration purgeInterval) {

    public RefreshTokenProperties {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("couponhub.refresh-token.ttl must be positive");
        }
    }
}
