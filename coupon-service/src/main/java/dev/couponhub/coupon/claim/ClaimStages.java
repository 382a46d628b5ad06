package dev.couponhub.coupon.claim;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The stages of a claim inside coupon-service, as one histogram {@code couponhub.claims.stage} tagged {@code stage}:
 * {@code gate} (the Redis reservation), {@code queue} (waiting for the writer), {@code write} (the batch's transaction
 * up to its commit) and {@code confirm} (the batch's units confirmed to Redis). Beside {@code couponhub.claims} (the
 * whole claim), they say which stage a slow claim spent its time in. Buckets, so that quantiles add up over instances
 * and over any span of time ({@code histogram_quantile}).
 */
final class ClaimStages {

    private ClaimStages() {
    }

    static Timer timer(MeterRegistry meters, String stage, String description) {
        return Timer.builder("couponhub.claims.stage").tag("stage", stage).description(description)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(meters);
    }
}
