package dev.couponhub.coupon.store;

import java.util.concurrent.TimeUnit;

import dev.couponhub.coupon.config.StoreClientProperties;
import dev.couponhub.coupon.web.CouponProblem;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import dev.couponhub.proto.store.v1.GetStoreRequest;
import dev.couponhub.proto.store.v1.GetStoresRequest;
import dev.couponhub.proto.store.v1.Store;
import dev.couponhub.proto.store.v1.StoreServiceGrpc;
import dev.couponhub.proto.store.v1.StoreStatus;
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
 * Asks store-service about a store over gRPC, with a deadline on every call and a circuit breaker around them: when
 * store-service is down, slow or the breaker is open, the caller gets 503 {@code DEPENDENCY_UNAVAILABLE} at once.
 * "No such store" is an answer, not a failure: it does not count against the breaker.
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
                .recordException(StoreDirectory::isFailure)
                .build());
    }

    /**
     * The store with the given id, deleted or not.
     *
     * @throws ApiException {@code STORE_NOT_FOUND} when store-service does not know it, {@code DEPENDENCY_UNAVAILABLE}
     *                      when store-service cannot answer in time
     */
    public StoreInfo get(long storeId) {
        Store store;
        try {
            store = breaker.executeSupplier(() -> stores
                    .withDeadlineAfter(properties.deadline().toMillis(), TimeUnit.MILLISECONDS)
                    .getStore(GetStoreRequest.newBuilder().setId(storeId).build()));
        } catch (CallNotPermittedException open) {
            throw unavailable();
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND || code == Status.Code.INVALID_ARGUMENT) {
                throw new ApiException(CouponProblem.STORE_NOT_FOUND, "There is no store with id " + storeId + ".");
            }
            log.warn("store-service could not answer GetStore({}): {}", storeId, e.getStatus());
            throw unavailable();
        }
        return new StoreInfo(store.getId(), store.getOwnerId(), store.getName(), store.getCategory(),
                store.getStatus() == StoreStatus.DELETED);
    }

    /**
     * The first call on a fresh channel loads gRPC's classes, resolves the address and connects; on a busy machine
     * that alone can outlast a publish's deadline, so the first owner to publish after a start would get a 503.
     * Once started, a background thread makes one harmless read-only batch look-up, retried until store-service
     * answers (it may start after us). It bypasses the circuit breaker: its failures say nothing about load.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        Thread warmUp = new Thread(() -> {
            for (int attempt = 1; attempt <= 60; attempt++) {
                try {
                    stores.withDeadlineAfter(10, TimeUnit.SECONDS)
                            .getStores(GetStoresRequest.newBuilder().addIds(1).build());
                    log.debug("store-service channel ready after {} attempt(s)", attempt);
                    return;
                } catch (StatusRuntimeException e) {
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }, "store-directory-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    private static boolean isFailure(Throwable e) {
        if (e instanceof StatusRuntimeException status) {
            Status.Code code = status.getStatus().getCode();
            return code != Status.Code.NOT_FOUND && code != Status.Code.INVALID_ARGUMENT;
        }
        return true;
    }

    private static ApiException unavailable() {
        return new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE,
                "The store directory is not available right now. Try again shortly.");
    }
}
