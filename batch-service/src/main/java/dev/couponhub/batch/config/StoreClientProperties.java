package dev.couponhub.batch.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Calls to store-service over gRPC (address under {@code grpc.client.store-service.address}).
 *
 * @param deadline longest wait for one call; past it the caller gets 503 {@code DEPENDENCY_UNAVAILABLE}
 * @param breaker  the circuit breaker around the calls
 */
@ConfigurationProperties("couponhub.stores")
public record StoreClientProperties(@DefaultValue("800ms") Duration deadline, @DefaultValue Breaker breaker) {

    public StoreClientProperties {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("couponhub.stores.deadline must be positive");
        }
    }

    /**
     * @param failureRateThreshold percentage of failed calls that opens the breaker
     * @param minimumNumberOfCalls calls needed before the rate counts
     * @param slidingWindowSize    calls the rate is computed over
     * @param waitInOpenState      how long an open breaker answers at once before it lets trial calls through
     */
    public record Breaker(@DefaultValue("50") float failureRateThreshold, @DefaultValue("5") int minimumNumberOfCalls,
                          @DefaultValue("20") int slidingWindowSize, @DefaultValue("10s") Duration waitInOpenState) {
    }
}
