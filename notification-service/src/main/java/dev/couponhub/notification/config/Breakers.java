package dev.couponhub.notification.config;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Circuit breakers around gRPC calls: "not found" and "invalid argument" are answers, not failures. */
public final class Breakers {

    private Breakers() {
    }

    public static CircuitBreaker of(String name, GrpcClientProperties.Breaker settings) {
        return CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .slidingWindowSize(settings.slidingWindowSize())
                .waitDurationInOpenState(settings.waitInOpenState())
                .recordException(Breakers::isFailure)
                .build());
    }

    private static boolean isFailure(Throwable e) {
        if (e instanceof StatusRuntimeException status) {
            Status.Code code = status.getStatus().getCode();
            return code != Status.Code.NOT_FOUND && code != Status.Code.INVALID_ARGUMENT;
        }
        return true;
    }
}
