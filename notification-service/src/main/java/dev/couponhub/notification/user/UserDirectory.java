package dev.couponhub.notification.user;

import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.couponhub.kit.grpc.GrpcClients;
import dev.couponhub.kit.grpc.GrpcDependency;
import dev.couponhub.notification.config.ClientsProperties;
import dev.couponhub.proto.user.v1.GetUsersRequest;
import dev.couponhub.proto.user.v1.UserServiceGrpc;
import dev.couponhub.proto.user.v1.UserServiceGrpc.UserServiceBlockingStub;
import org.springframework.stereotype.Component;

/**
 * E-mail addresses from user-service: one gRPC {@code GetUsers} call per batch, with a deadline and a breaker (the
 * kit's {@link GrpcDependency}; no warm-up: mails are retried anyway).
 */
@Component
public class UserDirectory {

    /** GetUsers takes at most this many ids per call. */
    public static final int BATCH_LIMIT = 1000;

    private final GrpcDependency<UserServiceBlockingStub> users;

    UserDirectory(GrpcClients clients, ClientsProperties properties) {
        this.users = clients.dependency("user-service", UserServiceGrpc::newBlockingStub, properties.users(),
                "User accounts are not available right now. Try again shortly.");
    }

    /**
     * The open accounts among the ids (closed or unknown ones are absent).
     *
     * @throws dev.couponhub.kit.problem.ApiException {@code DEPENDENCY_UNAVAILABLE} when user-service cannot answer
     *                                               (the caller retries later)
     */
    public Map<Long, Recipient> recipients(Collection<Long> userIds) {
        if (userIds.size() > BATCH_LIMIT) {
            throw new IllegalArgumentException("at most " + BATCH_LIMIT + " ids per look-up");
        }
        GetUsersRequest request = GetUsersRequest.newBuilder().addAllIds(userIds).build();
        return users.call("GetUsers", stub -> stub.getUsers(request))
                .getUsersList().stream()
                .filter(user -> !user.getEmail().isBlank())
                .map(user -> new Recipient(user.getId(), user.getEmail(), user.getName()))
                .collect(Collectors.toMap(Recipient::userId, Function.identity(), (a, b) -> a));
    }
}
