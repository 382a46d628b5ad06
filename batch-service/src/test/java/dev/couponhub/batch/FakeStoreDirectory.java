package dev.couponhub.batch;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.couponhub.proto.store.v1.GetStoreRequest;
import dev.couponhub.proto.store.v1.GetStoresRequest;
import dev.couponhub.proto.store.v1.GetStoresResponse;
import dev.couponhub.proto.store.v1.Store;
import dev.couponhub.proto.store.v1.StoreServiceGrpc;
import dev.couponhub.proto.store.v1.StoreStatus;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * store-service's gRPC contract served in-process over stores the tests add: it plays the other service, it is not
 * infrastructure.
 */
final class FakeStoreDirectory extends StoreServiceGrpc.StoreServiceImplBase {

    static final String NAME = "batch-it-store-service";
    private static final FakeStoreDirectory INSTANCE = new FakeStoreDirectory();
    private static final AtomicLong IDS = new AtomicLong(5_000);

    static {
        try {
            Server server = InProcessServerBuilder.forName(NAME).addService(INSTANCE).build().start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Map<Long, Store> stores = new ConcurrentHashMap<>();

    static FakeStoreDirectory instance() {
        return INSTANCE;
    }

    long addStore(long ownerId) {
        long id = IDS.incrementAndGet();
        stores.put(id, Store.newBuilder().setId(id).setOwnerId(ownerId).setName("Store " + id).setCategory("CAFE")
                .setStatus(StoreStatus.ACTIVE).build());
        return id;
    }

    @Override
    public void getStore(GetStoreRequest request, StreamObserver<Store> observer) {
        Store store = stores.get(request.getId());
        if (store == null) {
            observer.onError(Status.NOT_FOUND.withDescription("no such store").asRuntimeException());
            return;
        }
        observer.onNext(store);
        observer.onCompleted();
    }

    @Override
    public void getStores(GetStoresRequest request, StreamObserver<GetStoresResponse> observer) {
        GetStoresResponse.Builder answer = GetStoresResponse.newBuilder();
        request.getIdsList().stream().map(stores::get).filter(java.util.Objects::nonNull).forEach(answer::addStores);
        observer.onNext(answer.build());
        observer.onCompleted();
    }
}
