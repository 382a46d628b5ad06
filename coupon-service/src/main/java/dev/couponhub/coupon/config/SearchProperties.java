package dev.couponhub.coupon.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Full-text search of coupons in Elasticsearch (the connection itself is {@code spring.elasticsearch.*}).
 *
 * @param index   name of the index holding one document per coupon (created with its mapping, and filled with every
 *                coupon, when missing)
 * @param indexer how changed coupons are written to the index
 */
@ConfigurationProperties("couponhub.search")
public record SearchProperties(
        @DefaultValue("coupons-ko") String index,
        @DefaultValue Indexer indexer) {

    public SearchProperties {
        if (index == null || index.isBlank() || !index.equals(index.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("couponhub.search.index must be a lower-case index name");
        }
    }

    /**
     * @param enabled        whether this instance runs the indexer (several instances may)
     * @param interval       pause between two runs
     * @param batchSize      most coupons written in one bulk request
     * @param initialBackoff wait before the first retry of a coupon whose document could not be written; doubles on
     *                       each failure
     * @param maxBackoff     longest wait between two retries
     */
    public record Indexer(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("500ms") Duration interval,
            @DefaultValue("200") int batchSize,
            @DefaultValue("1s") Duration initialBackoff,
            @DefaultValue("1m") Duration maxBackoff) {

        public Indexer {
            requirePositive(interval, "interval");
            requirePositive(initialBackoff, "initial-backoff");
            requirePositive(maxBackoff, "max-backoff");
            if (batchSize < 1 || batchSize > 1000) {
                throw new IllegalArgumentException("couponhub.search.indexer.batch-size must be 1..1000");
            }
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException(
                        "couponhub.search.indexer.max-backoff must not be below initial-backoff");
            }
        }

        private static void requirePositive(Duration duration, String name) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("couponhub.search.indexer." + name + " must be positive");
            }
        }
    }
}
