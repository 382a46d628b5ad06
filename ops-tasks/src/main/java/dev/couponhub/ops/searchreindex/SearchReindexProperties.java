package dev.couponhub.ops.searchreindex;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What search-reindex calls. Checked when the task runs (not at start-up, so that db-bootstrap runs without it).
 *
 * @param couponServiceUrl coupon-service's own HTTP address (not the gateway's), e.g.
 *                         {@code http://coupon-service.couponhub.local:8083}
 * @param searchReindex    how long and how often to try
 */
@ConfigurationProperties("couponhub.ops")
public record SearchReindexProperties(String couponServiceUrl, @DefaultValue Retry searchReindex) {

    /**
     * @param attempts   tries in all, while coupon-service is not up yet (no connection, a timeout or a 5xx answer)
     * @param retryDelay the wait between two tries
     * @param timeout    the longest wait for a connection, and then for the answer, on each try
     */
    public record Retry(@DefaultValue("12") int attempts, @DefaultValue("10s") Duration retryDelay,
                        @DefaultValue("30s") Duration timeout) {
    }
}
