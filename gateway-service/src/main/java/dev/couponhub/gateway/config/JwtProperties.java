package dev.couponhub.gateway.config;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How access tokens are verified.
 *
 * @param issuer the required {@code iss} claim
 * @param jwksUri where user-service publishes its public signing keys
 * @param clockSkew tolerance for {@code exp} and {@code nbf}
 * @param jwksTimeout upper bound for one JWKS download (connect and read)
 * @param jwksRefreshInterval minimum time between two JWKS downloads triggered by unknown key ids
 * @param jwksMaxAge the key set is downloaded again at least this often, so that a key removed from it (rotation, a
 *                   leaked key) stops being accepted without a restart
 * @param verifiedCacheTtl how long a token once verified is accepted again without checking its signature (never past
 *                         its {@code exp}, nor once the key that signed it left the key set); 0 checks every request's
 *                         signature
 * @param verifiedCacheSize how many verified tokens are remembered
 */
@ConfigurationProperties("couponhub.gateway.jwt")
public record JwtProperties(
        @DefaultValue("couponhub") String issuer,
        @DefaultValue("http://localhost:8081/.well-known/jwks.json") URI jwksUri,
        @DefaultValue("30s") Duration clockSkew,
        @DefaultValue("2s") Duration jwksTimeout,
        @DefaultValue("10s") Duration jwksRefreshInterval,
        @DefaultValue("5m") Duration jwksMaxAge,
        @DefaultValue("60s") Duration verifiedCacheTtl,
        @DefaultValue("20000") long verifiedCacheSize) {
}
