package dev.couponhub.coupon.store;

import dev.couponhub.coupon.config.ClientProperties;
import dev.couponhub.coupon.web.CouponProblem;
import dev.couponhub.kit.grpc.GrpcClients;
import dev.couponhub.kit.grpc.GrpcDependency;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.proto.store.v1.GetStoreRequest;
import dev.couponhub.proto.store.v1.Store;
import dev.couponhub.proto.store.v1.StoreServiceGrpc;
import dev.couponhub.proto.store.v1.StoreServiceGrpc.StoreServiceBlockingStub;
import dev.couponhub.proto.store.v1.StoreStatus;
import org.springframework.stereotype.Component;

/**
 * Asks store-service about a store over gRPC, through the kit's {@link GrpcDependency}: a deadline on every call, a
 * circuit breaker around them, a warm-up at start-up. When store-service is down, slow or the breaker is open, the
 * caller gets 503 {@code DEPENDENCY_UNAVAILABLE} at once. "No such store" is an answer, not a failure: it does not
 * count against the breaker.
 */
@Component
public class StoreDirectory {

    private final GrpcDependency<StoreServiceBlockingStub> stores;

    StoreDirectory(GrpcClients clients, ClientProperties properties) {
        this.stores = clients.dependency("store-service", StoreServiceGrpc::newBlockingStub, properties.stores(),
                "The store directory is not available right now. Try again shortly.");
    }

    /**
     * The store with the given id, deleted or not.
     *
     * @throws ApiException {@code STORE_NOT_FOUND} when store-service does not know it, {@code DEPENDENCY_UNAVAILABLE}
     *                      when store-service cannot answer in time
     */
    public StoreInfo get(long storeId) {
        Store store = stores.call("GetStore",
                stub -> stub.getStore(GetStoreRequest.newBuilder().setId(storeId).build()),
                () -> new ApiException(CouponProblem.STORE_NOT_FOUND, "There is no store with id " + storeId + "."));
        return new StoreInfo(store.getId(), store.getOwnerId(), store.getName(), store.getCategory(),
                store.getStatus() == StoreStatus.DELETED);
    }
}
