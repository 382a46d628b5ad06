package dev.couponhub.notification.store;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import dev.couponhub.notification.config.Breakers;
import dev.couponhub.notification.config.GrpcClientProperties;
import dev.couponhub.notification.web.NotificationProblem;
import dev.couponhub.proto.store.v1.GetStoreRequest;
import dev.couponhub.proto.store.v1.GetStoresRequest;
import dev.couponhub.proto.store.v1.Store;
import dev.couponhub.proto.store.v1.StoreServiceGrpc;
import dev.couponhub.proto.store.v1.StoreStatus;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Asks store-service about stores over gRPC (blocking: call it off the event loop), with a deadline on every call and
 * a circuit breaker around them: when store-service is down, slow or the breaker is open, the caller gets 503
 * {@code DEPENDENCY_UNAVAILABLE} at once.
 */
@Component
public class StoreDirectory {

    /** GetStores takes at most this many ids per call. */
    static final int BATCH_LIMIT = 1000;
    private static final Logger log = LoggerFactory.getLogger(StoreDirectory.class);

    @GrpcClient("store-service")
    private StoreServiceGrpc.StoreServiceBlockingStub stores;

    private final GrpcClientProperties.Client properties;
    private final CircuitBreaker breaker;

    StoreDirectory(GrpcClientProperties properties) {
        this.properties = properties.stores();
        this.breaker = Breakers.of("store-service", this.properties.breaker());
    }

    /**
     * The store, deleted or not.
     *
     * @throws ApiException {@code STORE_NOT_FOUND} when store-service does not know it, {@code DEPENDENCY_UNAVAILABLE}
     *                      when it cannot answer in time
     */
    public StoreInfo get(long storeId) {
        try {
            return toInfo(breaker.executeSupplier(() -> stub()
                    .getStore(GetStoreRequest.newBuilder().setId(storeId).build())));
        } catch (CallNotPermittedException open) {
            throw unavailable();
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND || code == Status.Code.INVALID_ARGUMENT) {
                throw new ApiException(NotificationProblem.STORE_NOT_FOUND, "There is no store with id " + storeId + ".");
            }
            log.warn("store-service could not answer GetStore: {}", e.getStatus().getCode());
            throw unavailable();
        }
    }

    /** The known stores among the ids, in one call; empty when store-service cannot answer (names are optional). */
    public Optional<Map<Long, StoreInfo>> find(Collection<Long> storeIds) {
        if (storeIds.isEmpty()) {
            return Optional.of(Map.of());
        }
        try {
            GetStoresRequest request = GetStoresRequest.newBuilder()
                    .addAllIds(storeIds.stream().distinct().limit(BATCH_LIMIT).toList()).build();
            return Optional.of(breaker.executeSupplier(() -> stub().getStores(request)).getStoresList().stream()
                    .map(StoreDirectory::toInfo)
                    .collect(Collectors.toMap(StoreInfo::id, Function.identity(), (a, b) -> a)));
        } catch (CallNotPermittedException | StatusRuntimeException e) {
            log.debug("store-service could not answer GetStores: {}", e.toString());
            return Optional.empty();
        }
    }

    /**
     * The first call on a fresh channel loads gRPC's classes, resolves the address and connects; on a busy machine
     * that alone can outlast a deadline, so the first subscriber after a start would get a 503. Once started, a
     * background thread makes one harmless batch look-up, retried until store-service answers (it may start after
     * us). It bypasses the circuit breaker: its failures say nothing about load.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        Thread warmUp = new Thread(() -> {
            for (int attempt = 1; attempt <= 60; attempt++) {
                try {
                    stores.withDeadlineAfter(10, TimeUnit.SECONDS)
                            .getStores(GetStoresRequest.newBuilder().addIds(1).build());
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

    private StoreServiceGrpc.StoreServiceBlockingStub stub() {
        return stores.withDeadlineAfter(properties.deadline().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static StoreInfo toInfo(Store store) {
        return new StoreInfo(store.getId(), store.getName(), store.getStatus() == StoreStatus.DELETED);
    }

    private static ApiException unavailable() {
        return new ApiException(StandardProblem.DEPENDENCY_UNAVAILABLE,
                "The store directory is not available right now. Try again shortly.");
    }
}
