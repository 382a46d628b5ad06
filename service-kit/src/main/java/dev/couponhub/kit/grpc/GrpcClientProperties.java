package dev.couponhub.kit.grpc;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service calls one other service over gRPC. Not bound by itself: a service nests it in its own
 * {@code @ConfigurationProperties} record under the prefix it chose, e.g. {@code couponhub.stores.deadline},
 * {@code couponhub.stores.breaker.*}, {@code couponhub.stores.warm-up.*}. The channel itself (address, TLS) stays
 * {@code grpc.client.<name>.*}.
 *
 * @param deadline longest wait for one call; past it the caller gets 503 {@code DEPENDENCY_UNAVAILABLE}
 * @param breaker  the circuit breaker around the calls
 * @param warmUp   the connection made once the service has started
 */
public record GrpcClientProperties(@DefaultValue("800ms") Duration deadline, @DefaultValue Breaker breaker,
                                   @DefaultValue WarmUp warmUp) {

    public GrpcClientProperties {
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive");
        }
        breaker = breaker == null ? Breaker.DEFAULTS : breaker;
        warmUp = warmUp == null ? WarmUp.DEFAULTS : warmUp;
    }

    /** 800 ms, the default breaker and warm-up. */
    public static GrpcClientProperties defaults() {
        return new GrpcClientProperties(Duration.ofMillis(800), Breaker.DEFAULTS, WarmUp.DEFAULTS);
    }

    /**
     * @param failureRateThreshold percentage of failed calls that opens the breaker
     * @param minimumNumberOfCalls calls needed before the rate counts
     * @param slidingWindowSize    calls the rate is computed over
     * @param waitInOpenState      how long an open breaker answers at once before it lets trial calls through
     */
    public record Breaker(@DefaultValue("50") float failureRateThreshold, @DefaultValue("5") int minimumNumberOfCalls,
                          @DefaultValue("20") int slidingWindowSize, @DefaultValue("10s") Duration waitInOpenState) {

        static final Breaker DEFAULTS = new Breaker(50, 5, 20, Duration.ofSeconds(10));
    }

    /**
     * The first call on a fresh channel loads gRPC's classes, resolves the address and connects; on a busy machine that
     * alone can outlast a deadline, so the first request after a start would get a 503. Once the service has started,
     * a background thread therefore calls the other service (a health check, answered or refused: either way the
     * channel is connected) until it answers, outside the circuit breaker: its failures say nothing about load.
     *
     * @param enabled    whether to warm the channel up at all
     * @param deadline   longest wait for one attempt
     * @param pause      pause between two attempts (the other service may start after this one)
     * @param attempts   attempts before giving up (the first real call then connects)
     * @param awaitFirst whether the first attempt is made before the service reports ready (at most {@code deadline})
     */
    public record WarmUp(@DefaultValue("true") boolean enabled, @DefaultValue("10s") Duration deadline,
                         @DefaultValue("2s") Duration pause, @DefaultValue("60") int attempts,
                         @DefaultValue("false") boolean awaitFirst) {

        static final WarmUp DEFAULTS = new WarmUp(true, Duration.ofSeconds(10), Duration.ofSeconds(2), 60, false);

        public WarmUp {
            if (deadline == null || deadline.isNegative() || deadline.isZero() || pause == null || pause.isNegative()) {
                throw new IllegalArgumentException("warm-up deadline must be positive and pause not negative");
            }
        }
    }
}
