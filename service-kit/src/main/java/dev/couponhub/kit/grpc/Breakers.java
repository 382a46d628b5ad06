package dev.couponhub.kit.grpc;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Circuit breakers around gRPC calls. {@code NOT_FOUND} and {@code INVALID_ARGUMENT} are the other service's answer
 * ("no such thing"), not a failure: they do not count; every other failure does.
 */
final class Breakers {

    private Breakers() {
    }

    static CircuitBreaker of(String name, GrpcClientProperties.Breaker settings) {
        return CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .slidingWindowSize(settings.slidingWindowSize())
                .waitDurationInOpenState(settings.waitInOpenState())
                .recordException(Breakers::isFailure)
                .build());
    }

    /** Whether the exception counts against the breaker: everything but a "not found" answer. */
    static boolean isFailure(Throwable e) {
        return !(e instanceof StatusRuntimeException status && isNotFound(status.getStatus()));
    }

    /** {@code NOT_FOUND} or {@code INVALID_ARGUMENT} (e.g. an impossible id): the thing asked for is not there. */
    static boolean isNotFound(Status status) {
        Status.Code code = status.getCode();
        return code == Status.Code.NOT_FOUND || code == Status.Code.INVALID_ARGUMENT;
    }
}
