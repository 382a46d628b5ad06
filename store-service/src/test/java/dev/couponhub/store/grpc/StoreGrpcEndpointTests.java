package dev.couponhub.store.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import dev.couponhub.proto.store.v1.GetStoreRequest;
import dev.couponhub.proto.store.v1.GetStoresRequest;
import dev.couponhub.proto.store.v1.StoreServiceGrpc;
import dev.couponhub.proto.store.v1.StoreStatus;
import dev.couponhub.store.store.Category;
import dev.couponhub.store.store.Store;
import dev.couponhub.store.store.StoreDetails;
import dev.couponhub.store.store.StoreRepository;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.util.ReflectionTestUtils;

/** The gRPC endpoint in a plain in-process server, over an in-memory set of stores. */
class StoreGrpcEndpointTests {

    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");

    private final Map<Long, Store> byId = new LinkedHashMap<>();
    private final AtomicInteger batchQueries = new AtomicInteger();
    private Server server;
    private ManagedChannel channel;
    private StoreServiceGrpc.StoreServiceBlockingStub stub;

    @BeforeEach
    void start() throws Exception {
        add(store(1, 10, "Cafe", Category.CAFE, false));
        add(store(2, 20, "Diner", Category.FOOD, false));
        add(store(3, 10, "Closed", Category.OTHER, true));
        String name = "store-grpc-" + UUID.randomUUID();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new StoreGrpcEndpoint(inMemoryRepository())).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = StoreServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void getStoreWhenActiveThenAllFields() {
        dev.couponhub.proto.store.v1.Store store = stub.getStore(GetStoreRequest.newBuilder().setId(2).build());

        assertThat(store.getId()).isEqualTo(2);
        assertThat(store.getOwnerId()).isEqualTo(20);
        assertThat(store.getName()).isEqualTo("Diner");
        assertThat(store.getCategory()).isEqualTo("FOOD");
        assertThat(store.getStatus()).isEqualTo(StoreStatus.ACTIVE);
    }

    @Test
    void getStoreWhenDeletedThenStatusDeleted() {
        assertThat(stub.getStore(GetStoreRequest.newBuilder().setId(3).build()).getStatus())
                .isEqualTo(StoreStatus.DELETED);
    }

    @Test
    void getStoreWhenUnknownThenNotFound() {
        assertStatus(() -> stub.getStore(GetStoreRequest.newBuilder().setId(99).build()), Status.Code.NOT_FOUND);
    }

    @Test
    void getStoreWhenIdNotPositiveThenInvalidArgument() {
        assertStatus(() -> stub.getStore(GetStoreRequest.getDefaultInstance()), Status.Code.INVALID_ARGUMENT);
        assertStatus(() -> stub.getStore(GetStoreRequest.newBuilder().setId(-1).build()), Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void getStoresThenKnownInRequestOrderOnceInOneQuery() {
        List<dev.couponhub.proto.store.v1.Store> stores = stub.getStores(GetStoresRequest.newBuilder()
                .addAllIds(List.of(3L, 99L, 1L, 3L, 2L)).build()).getStoresList();

        assertThat(stores).extracting(dev.couponhub.proto.store.v1.Store::getId).containsExactly(3L, 1L, 2L);
        assertThat(batchQueries.get()).isEqualTo(1);
    }

    @Test
    void getStoresWhenEmptyThenEmptyWithoutQuery() {
        assertThat(stub.getStores(GetStoresRequest.getDefaultInstance()).getStoresList()).isEmpty();
        assertThat(batchQueries.get()).isZero();
    }

    @Test
    void getStoresWhenThousandIdsThenAnswered() {
        assertThat(stub.getStores(GetStoresRequest.newBuilder()
                .addAllIds(LongStream.rangeClosed(1, 1000).boxed().toList()).build()).getStoresCount()).isEqualTo(3);
    }

    @Test
    void getStoresWhenMoreThanThousandIdsThenInvalidArgumentWithoutQuery() {
        GetStoresRequest request = GetStoresRequest.newBuilder()
                .addAllIds(LongStream.rangeClosed(1, 1001).boxed().toList()).build();

        assertStatus(() -> stub.getStores(request), Status.Code.INVALID_ARGUMENT);
        assertThat(batchQueries.get()).isZero();
    }

    @Test
    void getStoresWhenAnIdIsNotPositiveThenInvalidArgument() {
        assertStatus(() -> stub.getStores(GetStoresRequest.newBuilder().addAllIds(List.of(1L, -2L)).build()),
                Status.Code.INVALID_ARGUMENT);
    }

    private void add(Store store) {
        byId.put(store.id(), store);
    }

    private static Store store(long id, long ownerId, String name, Category category, boolean deleted) {
        Store store = Store.open(ownerId, new StoreDetails(name, category, "Street", null), T0);
        ReflectionTestUtils.setField(store, "id", id);
        if (deleted) {
            store.delete(T0.plusSeconds(1));
        }
        return store;
    }

    /** Answers findById and findAllById from the map (deliberately not in request order); nothing else. */
    @SuppressWarnings("unchecked")
    private StoreRepository inMemoryRepository() {
        return (StoreRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StoreRepository.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "findById" -> Optional.ofNullable(byId.get((Long) args[0]));
                    case "findAllById" -> {
                        batchQueries.incrementAndGet();
                        List<Store> found = new ArrayList<>();
                        ((Iterable<Long>) args[0]).forEach(id -> {
                            if (byId.containsKey(id)) {
                                found.add(byId.get(id));
                            }
                        });
                        found.sort((a, b) -> Long.compare(a.id(), b.id()));
                        yield found;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static void assertStatus(Runnable call, Status.Code code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
