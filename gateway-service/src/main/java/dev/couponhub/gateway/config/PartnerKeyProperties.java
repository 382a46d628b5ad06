package dev.couponhub.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway checks a store's API key ({@code X-Api-Key}): it asks store-service for the key's hash
 * ({@code GET <services.store><lookup-path><sha256 hex>}) and remembers the answer for {@code cache-ttl}, so that a
 * partner's steady calls cost store-service one look-up per key and instance per {@code cache-ttl}, and a deleted key
 * is refused by every instance at most {@code cache-ttl} (plus one look-up) after its deletion.
 *
 * @param lookupPath path of store-service's key look-up, below {@code couponhub.gateway.services.store}
 * @param cacheTtl   how long an answer (found or not) is used; at most 4 s, so that a deleted key is refused everywhere
 *                   within 5 s (API.md)
 * @param timeout    upper bound for one answer of store-service (then 503)
 * @param maxEntries how many keys' answers each instance keeps at most
 */
@ConfigurationProperties("couponhub.gateway.partner-keys")
public record PartnerKeyProperties(
        @DefaultValue("/internal/v1/api-keys/") String lookupPath,
        @DefaultValue("2s") Duration cacheTtl,
        @DefaultValue("2s") Duration timeout,
        @DefaultValue("10000") long maxEntries) {

    public PartnerKeyProperties {
        if (cacheTtl.isNegative() || cacheTtl.isZero() || cacheTtl.compareTo(Duration.ofSeconds(4)) > 0) {
            throw new IllegalArgumentException("couponhub.gateway.partner-keys.cache-ttl must be positive and at most "
                    + "4s: a deleted key is refused everywhere within 5 s");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("couponhub.gateway.partner-keys.max-entries must be at least 1");
        }
    }
}
