package dev.couponhub.coupon.user;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import dev.couponhub.coupon.config.ClientProperties;
import dev.couponhub.kit.grpc.GrpcClients;
import dev.couponhub.kit.grpc.GrpcDependency;
import dev.couponhub.proto.user.v1.GetUsersRequest;
import dev.couponhub.proto.user.v1.Role;
import dev.couponhub.proto.user.v1.User;
import dev.couponhub.proto.user.v1.UserServiceGrpc;
import dev.couponhub.proto.user.v1.UserServiceGrpc.UserServiceBlockingStub;
import org.springframework.stereotype.Component;

/**
 * Asks user-service which accounts exist and what role they have: one gRPC {@code GetUsers} call of up to 1,000 ids,
 * through the kit's {@link GrpcDependency} (a deadline, a circuit breaker; 503 {@code DEPENDENCY_UNAVAILABLE} when
 * user-service cannot answer).
 */
@Component
public class UserDirectory {

    /** GetUsers takes at most this many ids per call. */
    public static final int BATCH_LIMIT = 1000;

    private final GrpcDependency<UserServiceBlockingStub> users;

    UserDirectory(GrpcClients clients, ClientProperties properties) {
        this.users = clients.dependency("user-service", UserServiceGrpc::newBlockingStub, properties.users(),
                "User accounts are not available right now. Try again shortly.");
    }

    /** Whether an open account is a shopper's. */
    public enum Kind { SHOPPER, OTHER }

    /**
     * The open accounts among the ids, by id (unknown or closed ones are absent).
     *
     * @throws dev.couponhub.kit.problem.ApiException {@code DEPENDENCY_UNAVAILABLE} when user-service cannot answer
     */
    public Map<Long, Kind> kinds(Collection<Long> userIds) {
        if (userIds.size() > BATCH_LIMIT) {
            throw new IllegalArgumentException("at most " + BATCH_LIMIT + " ids per look-up");
        }
        GetUsersRequest request = GetUsersRequest.newBuilder().addAllIds(userIds).build();
        return users.call("GetUsers", stub -> stub.getUsers(request)).getUsersList().stream()
                .collect(Collectors.toMap(User::getId, UserDirectory::kindOf, (a, b) -> a));
    }

    private static Kind kindOf(User user) {
        return user.getRole() == Role.SHOPPER ? Kind.SHOPPER : Kind.OTHER;
    }
}
