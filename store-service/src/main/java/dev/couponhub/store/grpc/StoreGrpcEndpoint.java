package dev.couponhub.store.grpc;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.couponhub.proto.store.v1.GetStoreRequest;
import dev.couponhub.proto.store.v1.GetStoresRequest;
import dev.couponhub.proto.store.v1.GetStoresResponse;
import dev.couponhub.proto.store.v1.StoreServiceGrpc;
import dev.couponhub.proto.store.v1.StoreStatus;
import dev.couponhub.store.store.Store;
import dev.couponhub.store.store.StoreRepository;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import net.devh.boot.grpc.server.service.GrpcService;

/**
 * gRPC {@code couponhub.store.v1.StoreService}: store look-ups for other services. Unlike the public API, deleted
 * stores are answered (status DELETED), so that callers can tell "deleted" from "never existed".
 */
@GrpcService
class StoreGrpcEndpoint extends StoreServiceGrpc.StoreServiceImplBase {

    static final int MAX_IDS = 1000;

    private final StoreRepository stores;

    StoreGrpcEndpoint(StoreRepository stores) {
        this.stores = stores;
    }

    @Override
    public void getStore(GetStoreRequest request, StreamObserver<dev.couponhub.proto.store.v1.Store> responseObserver) {
        if (request.getId() <= 0) {
            responseObserver.onError(Status.INVALID_ARGUMENT.withDescription("id must be positive").asRuntimeException());
            return;
        }
        stores.findById(request.getId()).ifPresentOrElse(
                store -> {
                    responseObserver.onNext(toProto(store));
                    responseObserver.onCompleted();
                },
                () -> responseObserver.onError(Status.NOT_FOUND
                        .withDescription("no store with id " + request.getId()).asRuntimeException()));
    }

    /** The known stores among the ids, in the order first asked, each once; one query for the whole batch. */
    @Override
    public void getStores(GetStoresRequest request, StreamObserver<GetStoresResponse> responseObserver) {
        if (request.getIdsCount() > MAX_IDS) {
            responseObserver.onError(Status.INVALID_ARGUMENT
                    .withDescription("at most " + MAX_IDS + " ids per call").asRuntimeException());
            return;
        }
        if (request.getIdsList().stream().anyMatch(id -> id <= 0)) {
            responseObserver.onError(Status.INVALID_ARGUMENT.withDescription("ids must be positive").asRuntimeException());
            return;
        }
        Set<Long> ids = new LinkedHashSet<>(request.getIdsList());
        GetStoresResponse.Builder response = GetStoresResponse.newBuilder();
        if (!ids.isEmpty()) {
            Map<Long, Store> found = stores.findAllById(ids).stream()
                    .collect(Collectors.toMap(Store::id, Function.identity()));
            ids.stream().map(found::get).filter(Objects::nonNull).map(StoreGrpcEndpoint::toProto)
                    .forEach(response::addStores);
        }
        responseObserver.onNext(response.build());
        responseObserver.onCompleted();
    }

    static dev.couponhub.proto.store.v1.Store toProto(Store store) {
        return dev.couponhub.proto.store.v1.Store.newBuilder()
                .setId(store.id())
                .setOwnerId(store.ownerId())
                .setName(store.name())
                .setCategory(store.category().name())
                .setStatus(store.isActive() ? StoreStatus.ACTIVE : StoreStatus.DELETED)
                .build();
    }
}
