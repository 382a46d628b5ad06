package dev.couponhub.coupon.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The expiry job.
 *
 * @param enabled        whether this instance runs it on a schedule (several instances may)
 * @param interval       pause between two runs
 * @param expiringNotice how long before {@code expiresAt} the {@code COUPON_EXPIRING} event is sent
 * @param batchSize      most issued coupons handled in one transaction
 */
@ConfigurationProperties("couponhub.expiry")
public record ExpiryProperties(@DefaultValue("true") boolean enabled, @DefaultValue("30s") Duration interval,
                               @DefaultValue("24h") Duration expiringNotice, @DefaultValue("500") int batchSize) {
}
