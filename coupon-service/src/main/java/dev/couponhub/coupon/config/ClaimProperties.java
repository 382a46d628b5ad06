package dev.couponhub.coupon.config;

import java.time.Duration;
import java.time.ZoneId;

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
 * @param writeTimeout   how long after its arrival a claim may still be taken into a batch; a claim not being
 *                       committed by then is abandoned: answered 503 {@code DEPENDENCY_UNAVAILABLE}, its unit given
 *                       back, and never written
 * @param batchTimeout   how long a batch's statements may take from the moment its claims are taken; a batch that
 *                       is not ready to commit by then is rolled back (its claims answered 503, units given back).
 *                       Also each statement's query time-out. Whole seconds (the transaction time-out's unit)
 * @param outcomeWait    how long, beyond {@code 3 × batchTimeout}, a claim whose batch is being committed waits for
 *                       the writer's decision (it decides within the statements' and the driver's time-outs; past
 *                       this the claim is answered 503 with its unit still held, for the reaper)
 * @param reservationTtl how long a unit may stay reserved without being confirmed or given back before the reaper
 *                       asks MySQL about it and gives back what was not issued (its process died, or could not give it
 *                       back); longer than any claim may take ({@code writeTimeout + 3 × batchTimeout + outcomeWait})
 * @param reaperInterval how often the reaper looks for such units (one instance at a time)
 * @param zone           the service zone: a coupon's daily limit counts the claims of each calendar day there
 * @param grantParallelism how many users' units of grants are claimed at once on this instance (their writes share
 *                       the writer's batches)
 */
@ConfigurationProperties("couponhub.claims")
public record ClaimProperties(@DefaultValue("24h") Duration idempotencyTtl, @DefaultValue("3s") Duration rebuildWait,
                              @DefaultValue("true") boolean groupCommit, @DefaultValue("64") int batchSize,
                              @DefaultValue("1ms") Duration batchWindow, @DefaultValue("2000") int maxPending,
                              @DefaultValue("1s") Duration couponCacheTtl,
                              @DefaultValue("2s") Duration writeTimeout, @DefaultValue("1s") Duration batchTimeout,
                              @DefaultValue("4s") Duration outcomeWait,
                              @DefaultValue("30s") Duration reservationTtl,
                              @DefaultValue("10s") Duration reaperInterval,
                              @DefaultValue("Asia/Seoul") ZoneId zone,
                              @DefaultValue("16") int grantParallelism) {

    public ClaimProperties {
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("couponhub.claims.batch-size must be 1..1000");
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("couponhub.claims.max-pending must be at least 1");
        }
        if (batchTimeout.toMillis() < 1000 || batchTimeout.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("couponhub.claims.batch-timeout must be whole seconds, at least 1s");
        }
        Duration longestClaim = longestClaim(writeTimeout, batchTimeout, outcomeWait);
        if (reservationTtl.compareTo(longestClaim) <= 0) {
            throw new IllegalArgumentException("couponhub.claims.reservation-ttl must be longer than a claim may take ("
                    + longestClaim + ": write-timeout + 3 × batch-timeout + outcome-wait)");
        }
        if (grantParallelism < 1 || grantParallelism > 256) {
            throw new IllegalArgumentException("couponhub.claims.grant-parallelism must be 1..256");
        }
        if (reaperInterval.isNegative() || reaperInterval.isZero()) {
            throw new IllegalArgumentException("couponhub.claims.reaper-interval must be positive");
        }
    }

    /** The longest a claim holds its reservation before it is answered (the writer's deadlines added up). */
    public Duration longestClaim() {
        return longestClaim(writeTimeout, batchTimeout, outcomeWait);
    }

    private static Duration longestClaim(Duration writeTimeout, Duration batchTimeout, Duration outcomeWait) {
        return writeTimeout.plus(batchTimeout.multipliedBy(3)).plus(outcomeWait);
    }
}
