package dev.couponhub.coupon.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Claims.
 *
 * @param idempotencyTtl how long the answer to a claim with an {@code Idempotency-Key} is remembered in Redis (the
 *                       issued coupon itself stays findable by its key in MySQL for good)
 * @param rebuildWait    how long a claim waits while a coupon's Redis state is rebuilt from MySQL before it answers
 *                       503 {@code DEPENDENCY_UNAVAILABLE}
 * @param groupCommit    whether claims are written in small batches, one transaction per batch (each claim is still
 *                       answered only after its batch committed); off: one transaction per claim
 * @param batchSize      most claims in one batch
 * @param batchWindow    how long the writer waits for more claims after the first one of a batch
 * @param maxPending     most claims waiting for the writer; a claim beyond that is answered 503 at once (its
 *                       reservation given back) instead of queueing until the gateway gives up on it
 * @param couponCacheTtl how long a claim may use a coupon (terms, store name) read by an earlier claim instead of
 *                       reading it again; MySQL still refuses an issue of an ended or full coupon
 */
@ConfigurationProperties("couponhub.claims")
public record ClaimProperties(@DefaultValue("24h") Duration idempotencyTtl, @DefaultValue("3s") Duration rebuildWait,
                              @DefaultValue("true") boolean groupCommit, @DefaultValue("64") int batchSize,
                              @DefaultValue("1ms") Duration batchWindow, @DefaultValue("2000") int maxPending,
                              @DefaultValue("1s") Duration couponCacheTtl) {

    public ClaimProperties {
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("couponhub.claims.batch-size must be 1..1000");
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("couponhub.claims.max-pending must be at least 1");
        }
    }
}
