package dev.couponhub.notification;

import java.util.Map;
import java.util.Objects;
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

/** Plays store-service: its real gRPC contract served in-process, over stores the tests add. */
public final class FakeStoreService extends StoreServiceGrpc.StoreServiceImplBase {

    public static final String NAME = "fake-store-service-notification-it";
    private static final FakeStoreService INSTANCE = new FakeStoreService();
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L * 10);

    static {
        try {
            Server server = InProcessServerBuilder.forName(NAME).addService(INSTANCE).build().start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Map<Long, Store> stores = new ConcurrentHashMap<>();

    public static FakeStoreService instance() {
        return INSTANCE;
    }

    public long addStore(String name) {
        long id = IDS.incrementAndGet();
        stores.put(id, Store.newBuilder().setId(id).setOwnerId(1).setName(name).setCategory("CAFE")
                .setStatus(StoreStatus.ACTIVE).build());
        return id;
    }

    public void rename(long storeId, String name) {
        stores.computeIfPresent(storeId, (id, store) -> store.toBuilder().setName(name).build());
    }

    public void delete(long storeId) {
        stores.computeIfPresent(storeId, (id, store) -> store.toBuilder().setStatus(StoreStatus.DELETED).build());
    }

    @Override
    public void getStore(GetStoreRequest request, StreamObserver<Store> responseObserver) {
        Store store = stores.get(request.getId());
        if (store == null) {
            responseObserver.onError(Status.NOT_FOUND.withDescription("no store").asRuntimeException());
            return;
        }
        responseObserver.onNext(store);
        responseObserver.onCompleted();
    }

    @Override
    public void getStores(GetStoresRequest request, StreamObserver<GetStoresResponse> responseObserver) {
        GetStoresResponse.Builder response = GetStoresResponse.newBuilder();
        request.getIdsList().stream().map(stores::get).filter(Objects::nonNull).forEach(response::addStores);
        responseObserver.onNext(response.build());
        responseObserver.onCompleted();
    }
}
