package dev.couponhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import dev.couponhub.proto.store.v1.GetStoreRequest;
import dev.couponhub.proto.store.v1.GetStoresRequest;
import dev.couponhub.proto.store.v1.Store;
import dev.couponhub.proto.store.v1.StoreServiceGrpc;
import dev.couponhub.proto.store.v1.StoreStatus;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** gRPC StoreService through the application's in-process server, against the real database. */
class StoreGrpcIT extends StoreServiceItSupport {

    @Autowired
    EntityManagerFactory entityManagerFactory;

    private ManagedChannel channel;
    private StoreServiceGrpc.StoreServiceBlockingStub stub;

    @BeforeEach
    void connect() {
        channel = InProcessChannelBuilder.forName(GRPC_NAME).build();
        stub = StoreServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void disconnect() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private StoreServiceGrpc.StoreServiceBlockingStub withDeadline() {
        return stub.withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    @Test
    void getStoreThenOwnerNameCategoryAndActive() {
        long ownerId = newUserId();
        long id = createStore(ownerId, "Grpc Cafe", "CAFE").path("id").asLong();

        Store store = withDeadline().getStore(GetStoreRequest.newBuilder().setId(id).build());

        assertThat(store.getId()).isEqualTo(id);
        assertThat(store.getOwnerId()).isEqualTo(ownerId);
        assertThat(store.getName()).isEqualTo("Grpc Cafe");
        assertThat(store.getCategory()).isEqualTo("CAFE");
        assertThat(store.getStatus()).isEqualTo(StoreStatus.ACTIVE);
    }

    @Test
    void getStoreWhenDeletedThenAnsweredAsDeleted() {
        long ownerId = newUserId();
        long id = createStore(ownerId, "Gone Soon", "FOOD").path("id").asLong();
        assertThat(api.delete(STORES + "/" + id, owner(ownerId)).status()).isEqualTo(204);

        Store store = withDeadline().getStore(GetStoreRequest.newBuilder().setId(id).build());

        assertThat(store.getStatus()).isEqualTo(StoreStatus.DELETED);
        assertThat(store.getOwnerId()).isEqualTo(ownerId);
        assertThat(store.getName()).isEqualTo("Gone Soon");
    }

    @Test
    void getStoreWhenUnknownThenNotFound() {
        assertCode(() -> withDeadline().getStore(GetStoreRequest.newBuilder().setId(Long.MAX_VALUE).build()),
                Status.Code.NOT_FOUND);
    }

    @Test
    void getStoreWhenIdNotPositiveThenInvalidArgument() {
        assertCode(() -> withDeadline().getStore(GetStoreRequest.newBuilder().setId(0).build()),
                Status.Code.INVALID_ARGUMENT);
        assertCode(() -> withDeadline().getStore(GetStoreRequest.newBuilder().setId(-3).build()),
                Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void getStoresThenKnownOnesInRequestOrderOnceWithDeletedMarked() {
        long ownerId = newUserId();
        long a = createStore(ownerId, "Batch A", "FOOD").path("id").asLong();
        long b = createStore(ownerId, "Batch B", "CAFE").path("id").asLong();
        long deleted = createStore(ownerId, "Batch C", "OTHER").path("id").asLong();
        api.delete(STORES + "/" + deleted, owner(ownerId));

        List<Store> stores = withDeadline().getStores(GetStoresRequest.newBuilder()
                .addAllIds(List.of(b, Long.MAX_VALUE, deleted, a, b)).build()).getStoresList();

        assertThat(stores).extracting(Store::getId).containsExactly(b, deleted, a);
        assertThat(stores).extracting(Store::getStatus)
                .containsExactly(StoreStatus.ACTIVE, StoreStatus.DELETED, StoreStatus.ACTIVE);
        assertThat(stores.get(0).getName()).isEqualTo("Batch B");
    }

    @Test
    void getStoresWithThousandIdsThenOneQuery() {
        long a = createStore(newUserId(), "Thousand", "FOOD").path("id").asLong();
        List<Long> ids = new ArrayList<>(LongStream.rangeClosed(Long.MAX_VALUE - 998, Long.MAX_VALUE).boxed().toList());
        ids.add(a);
        Statistics statistics = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        long statementsBefore = statistics.getPrepareStatementCount();

        List<Store> stores = withDeadline().getStores(GetStoresRequest.newBuilder().addAllIds(ids).build())
                .getStoresList();

        assertThat(statistics.getPrepareStatementCount() - statementsBefore).isEqualTo(1);
        assertThat(stores).extracting(Store::getId).containsExactly(a);
    }

    @Test
    void getStoresWhenEmptyThenEmpty() {
        assertThat(withDeadline().getStores(GetStoresRequest.getDefaultInstance()).getStoresList()).isEmpty();
    }

    @Test
    void getStoresWhenMoreThanThousandIdsThenInvalidArgument() {
        GetStoresRequest request = GetStoresRequest.newBuilder()
                .addAllIds(LongStream.rangeClosed(1, 1001).boxed().toList()).build();

        assertCode(() -> withDeadline().getStores(request), Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void getStoresWhenAnIdIsNotPositiveThenInvalidArgument() {
        assertCode(() -> withDeadline().getStores(GetStoresRequest.newBuilder().addAllIds(List.of(1L, 0L)).build()),
                Status.Code.INVALID_ARGUMENT);
    }

    private static void assertCode(Runnable call, Status.Code code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
