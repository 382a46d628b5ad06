package dev.couponhub.batch.store;

import java.util.concurrent.TimeUnit;

import dev.couponhub.batch.config.StoreClientProperties;
import dev.couponhub.batch.web.BatchProblem;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import dev.couponhub.proto.store.v1.GetStoreRequest;
import dev.couponhub.proto.store.v1.GetStoresRequest;
import dev.couponhub.proto.store.v1.StoreServiceGrpc;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Who owns a store, asked of store-service over gRPC with a deadline and a circuit breaker: a slow or absent
 * store-service gives 503 {@code DEPENDENCY_UNAVAILABLE} at once; an unknown store gives 404 and does not count
 * against the breaker.
 */
@Component
public class StoreDirectory {

    private static final Logger log = LoggerFactory.getLogger(StoreDirectory.class);

    @GrpcClient("store-service")
    private StoreServiceGrpc.StoreServiceBlockingStub stores;

    private final StoreClientProperties properties;
    private final CircuitBreaker breaker;

    StoreDirectory(StoreClientProperties properties) {
        this.properties = properties;
        StoreClientProperties.Breaker settings = properties.breaker();
        this.breaker = CircuitBreaker.of("store-service", CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .slidingWindowSize(settings.slidingWindowSize())
                .waitDurationInOpenState(settings.waitInOpenState())
                .recordException(e -> !(e instanceof StatusRuntimeException status) || !isAnswer(status))
                .build());
    }

    /** The id of the store's owner; 404 {@code STORE_NOT_FOUND} or 503 {@code DEPENDENCY_UNAVAILABLE}. */
    public long ownerOf(long storeId) {
        try {
            return breaker.executeSupplier(() -> stores
                    .withDeadlineAfter(properties.deadline().toMillis(), TimeUnit.MILLISECONDS)
                    .getStore(GetStoreRequest.newBuilder().setId(storeId).build())).getOwnerId();
        } catch (CallNotPermittedException open) {
            throw unavailable();
        } catch (StatusRuntimeException e) {
            if (isAnswer(e)) {
                throw new ApiException(BatchProblem.STORE_NOT_FOUND, "There is no store with id " + storeId + ".");
            }
            log.warn("store-service could not answer GetStore({}): {}", storeId, e.getStatus());
            throw unavailable();
        }
    }

    /**
     * The first call on a fresh channel loads classes, resolves and connects, which can outlast a request's deadline;
     * once started, a background thread makes one harmless call (retried until store-service answers) outside the
     * breaker, so that the first owner asking for statistics does not get a 503.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        Thread warmUp = new Thread(() -> {
            for (int attempt = 1; attempt <= 60 && !Thread.currentThread().isInterrupted(); attempt++) {
                try {
                    stores.withDeadlineAfter(10, TimeUnit.SECONDS)
                            .getStores(GetStoresRequest.newBuilder().addIds(1).build());
                    return;
                } catch (StatusRuntimeException e) {
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }, "store-directory-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /** NOT_FOUND and INVALID_ARGUMENT are store-service's answer "no such store", not a failure. */
    private static boolean isAnswer(StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        return code == Status.Code.NOT_FOUND || code == Status.Code.INVALID_ARGUMENT;
    }

    private static ApiException unavailable() {
        return new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE,
                "The store directory is not available right now. Try again shortly.");
    }
}
