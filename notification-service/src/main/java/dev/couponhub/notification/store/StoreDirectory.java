package dev.couponhub.notification.store;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.couponhub.kit.grpc.GrpcClients;
import dev.couponhub.kit.grpc.GrpcDependency;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.notification.config.ClientsProperties;
import dev.couponhub.notification.web.NotificationProblem;
import dev.couponhub.proto.store.v1.GetStoreRequest;
import dev.couponhub.proto.store.v1.GetStoresRequest;
import dev.couponhub.proto.store.v1.Store;
import dev.couponhub.proto.store.v1.StoreServiceGrpc;
import dev.couponhub.proto.store.v1.StoreServiceGrpc.StoreServiceBlockingStub;
import dev.couponhub.proto.store.v1.StoreStatus;
import org.springframework.stereotype.Component;

/**
 * Asks store-service about stores over gRPC (blocking: call it off the event loop) through the kit's
 * {@link GrpcDependency}: a deadline on every call, a circuit breaker around them, a warm-up at start-up. When
 * store-service is down, slow or the breaker is open, the caller gets 503 {@code DEPENDENCY_UNAVAILABLE} at once.
 */
@Component
public class StoreDirectory {

    /** GetStores takes at most this many ids per call. */
    static final int BATCH_LIMIT = 1000;

    private final GrpcDependency<StoreServiceBlockingStub> stores;

    StoreDirectory(GrpcClients clients, ClientsProperties properties) {
        this.stores = clients.dependency("store-service", StoreServiceGrpc::newBlockingStub, properties.stores(),
                "The store directory is not available right now. Try again shortly.");
    }

    /**
     * The store, deleted or not.
     *
     * @throws ApiException {@code STORE_NOT_FOUND} when store-service does not know it, {@code DEPENDENCY_UNAVAILABLE}
     *                      when it cannot answer in time
     */
    public StoreInfo get(long storeId) {
        GetStoreRequest request = GetStoreRequest.newBuilder().setId(storeId).build();
        return toInfo(stores.call("GetStore", stub -> stub.getStore(request), () -> new ApiException(
                NotificationProblem.STORE_NOT_FOUND, "There is no store with id " + storeId + ".")));
    }

    /** The known stores among the ids, in one call; empty when store-service cannot answer (names are optional). */
    public Optional<Map<Long, StoreInfo>> find(Collection<Long> storeIds) {
        if (storeIds.isEmpty()) {
            return Optional.of(Map.of());
        }
        GetStoresRequest request = GetStoresRequest.newBuilder()
                .addAllIds(storeIds.stream().distinct().limit(BATCH_LIMIT).toList()).build();
        return stores.callIfAvailable("GetStores", stub -> stub.getStores(request))
                .map(answer -> answer.getStoresList().stream()
                        .map(StoreDirectory::toInfo)
                        .collect(Collectors.toMap(StoreInfo::id, Function.identity(), (a, b) -> a)));
    }

    private static StoreInfo toInfo(Store store) {
        return new StoreInfo(store.getId(), store.getName(), store.getStatus() == StoreStatus.DELETED);
    }
}
