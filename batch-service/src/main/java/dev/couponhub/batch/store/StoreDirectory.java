package dev.couponhub.batch.store;

import dev.couponhub.batch.config.StoreClientProperties;
import dev.couponhub.batch.web.BatchProblem;
import dev.couponhub.kit.grpc.GrpcClients;
import dev.couponhub.kit.grpc.GrpcDependency;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.proto.store.v1.GetStoreRequest;
import dev.couponhub.proto.store.v1.GetStoresRequest;
import dev.couponhub.proto.store.v1.StoreServiceGrpc;
import dev.couponhub.proto.store.v1.StoreServiceGrpc.StoreServiceBlockingStub;
import org.springframework.stereotype.Component;

/**
 * Who owns a store, asked of store-service over gRPC through the kit's {@link GrpcDependency} (deadline, circuit
 * breaker, warm-up at start-up): a slow or absent store-service gives 503 {@code DEPENDENCY_UNAVAILABLE} at once; an
 * unknown store gives 404 and does not count against the breaker.
 */
@Component
public class StoreDirectory {

    /** The detail of the 503 a statistics request gets when store-service cannot say who owns the store. */
    private static final String UNAVAILABLE = "The store directory is not available right now. Try again shortly.";

    private final GrpcDependency<StoreServiceBlockingStub> stores;

    StoreDirectory(GrpcClients clients, StoreClientProperties properties) {
        this.stores = clients.dependency("store-service", StoreServiceGrpc::newBlockingStub, properties.stores(),
                UNAVAILABLE);
    }

    /** The id of the store's owner; 404 {@code STORE_NOT_FOUND} or 503 {@code DEPENDENCY_UNAVAILABLE}. */
    public long ownerOf(long storeId) {
        return stores.call("GetStore", stub -> stub.getStore(GetStoreRequest.newBuilder().setId(storeId).build()),
                () -> new ApiException(BatchProblem.STORE_NOT_FOUND, "There is no store with id " + storeId + "."))
                .getOwnerId();
    }

    /** The names of those of the stores store-service knows, by id, in one call; 503 when it cannot answer. */
    public java.util.Map<Long, String> namesOf(java.util.List<Long> storeIds) {
        java.util.Map<Long, String> names = new java.util.HashMap<>();
        stores.call("GetStores", stub -> stub.getStores(GetStoresRequest.newBuilder().addAllIds(storeIds).build()))
                .getStoresList().forEach(store -> names.put(store.getId(), store.getName()));
        return names;
    }
}
