package dev.couponhub.ai.config;

import java.time.Duration;

import dev.couponhub.kit.grpc.GrpcClientProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Calls to coupon-service over gRPC (address under {@code grpc.client.coupon-service.address}).
 *
 * @param deadline       longest wait for one call; past it the caller gets 503 {@code DEPENDENCY_UNAVAILABLE}
 * @param candidateLimit most claimable coupons asked for (1..500)
 * @param historyLimit   most past claims asked for, newest first (1..500)
 * @param breaker        the circuit breaker around the calls
 * @param warmUp         the connection made at start-up
 */
@ConfigurationProperties("couponhub.coupons")
public record CouponClientProperties(@DefaultValue("800ms") Duration deadline,
                                     @DefaultValue("200") int candidateLimit,
                                     @DefaultValue("100") int historyLimit,
                                     @DefaultValue GrpcClientProperties.Breaker breaker,
                                     @DefaultValue GrpcClientProperties.WarmUp warmUp) {

    public CouponClientProperties {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("couponhub.coupons.deadline must be positive");
        }
        if (candidateLimit < 1 || candidateLimit > 500 || historyLimit < 1 || historyLimit > 500) {
            throw new IllegalArgumentException("couponhub.coupons candidate-limit and history-limit must be 1..500");
        }
    }

    /** Deadline, breaker and warm-up as the kit's gRPC client takes them. */
    public GrpcClientProperties client() {
        return new GrpcClientProperties(deadline, breaker, warmUp);
    }
}
