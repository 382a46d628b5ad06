package dev.couponhub.user.account;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.couponhub.proto.user.v1.GetUserRequest;
import dev.couponhub.proto.user.v1.GetUsersRequest;
import dev.couponhub.proto.user.v1.GetUsersResponse;
import dev.couponhub.proto.user.v1.User;
import dev.couponhub.proto.user.v1.UserServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import net.devh.boot.grpc.server.service.GrpcService;

/**
 * gRPC {@code couponhub.user.v1.UserService}: look-ups of open accounts for other services. Closed and unknown
 * accounts are NOT_FOUND (GetUser) or left out (GetUsers).
 */
@GrpcService
class UserGrpcEndpoint extends UserServiceGrpc.UserServiceImplBase {

    static final int MAX_IDS = 1000;

    private final ActiveAccounts accounts;

    UserGrpcEndpoint(ActiveAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public void getUser(GetUserRequest request, StreamObserver<User> responseObserver) {
        if (request.getId() <= 0) {
            responseObserver.onError(Status.INVALID_ARGUMENT.withDescription("id must be positive").asRuntimeException());
            return;
        }
        accounts.findByIdAndClosedAtIsNull(request.getId()).ifPresentOrElse(
                account -> {
                    responseObserver.onNext(toProto(account));
                    responseObserver.onCompleted();
                },
                () -> responseObserver.onError(Status.NOT_FOUND
                        .withDescription("no open account with id " + request.getId()).asRuntimeException()));
    }

    /** Answers the open accounts among the ids, in the order first asked, each once; one query for the batch. */
    @Override
    public void getUsers(GetUsersRequest request, StreamObserver<GetUsersResponse> responseObserver) {
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
        GetUsersResponse.Builder response = GetUsersResponse.newBuilder();
        if (!ids.isEmpty()) {
            Map<Long, Account> found = accounts.findByIdInAndClosedAtIsNull(ids).stream()
                    .collect(Collectors.toMap(Account::id, Function.identity()));
            ids.stream().map(found::get).filter(Objects::nonNull).map(UserGrpcEndpoint::toProto)
                    .forEach(response::addUsers);
        }
        responseObserver.onNext(response.build());
        responseObserver.onCompleted();
    }

    private static User toProto(Account account) {
        return User.newBuilder()
                .setId(account.id())
                .setEmail(account.email())
                .setName(account.name())
                .setRole(dev.couponhub.proto.user.v1.Role.valueOf(account.role().name()))
                .setCreatedAt(account.createdAt().toString())
                .build();
    }
}
