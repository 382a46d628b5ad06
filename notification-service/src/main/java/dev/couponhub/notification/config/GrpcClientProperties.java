package dev.couponhub.notification.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Calls to store-service and user-service over gRPC (addresses under {@code grpc.client.store-service.address} and
 * {@code grpc.client.user-service.address}).
 *
 * @param stores look-ups of stores (subscriptions)
 * @param users  look-ups of e-mail addresses (mail sender)
 */
@ConfigurationProperties("couponhub.clients")
public record GrpcClientProperties(@DefaultValue Client stores, @DefaultValue Client users) {

    /**
     * @param deadline longest wait for one call
     * @param breaker  the circuit breaker around the calls
     */
    public record Client(@DefaultValue("800ms") Duration deadline, @DefaultValue Breaker breaker) {

        public Client {
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline must be positive");
            }
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
