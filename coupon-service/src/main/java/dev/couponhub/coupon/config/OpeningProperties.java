package dev.couponhub.coupon.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The job that announces coupons whose claim window opens ({@code COUPON_OPENED}).
 *
 * @param enabled   whether this instance runs it on a schedule (several instances may: each coupon is announced once)
 * @param interval  pause between two runs; API.md wants followers alerted within a minute of {@code issueStartsAt}
 * @param batchSize most coupons announced in one transaction
 */
@ConfigurationProperties("couponhub.opening")
public record OpeningProperties(@DefaultValue("true") boolean enabled, @DefaultValue("10s") Duration interval,
                                @DefaultValue("200") int batchSize) {

    public OpeningProperties {
        if (interval.isNegative() || interval.isZero() || interval.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("couponhub.opening.interval must be in (0, 30s]");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("couponhub.opening.batch-size must be at least 1");
        }
    }
}
