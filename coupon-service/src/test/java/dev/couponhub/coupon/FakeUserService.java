package dev.couponhub.coupon;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.couponhub.proto.user.v1.GetUsersRequest;
import dev.couponhub.proto.user.v1.GetUsersResponse;
import dev.couponhub.proto.user.v1.Role;
import dev.couponhub.proto.user.v1.User;
import dev.couponhub.proto.user.v1.UserServiceGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * Plays user-service over in-process gRPC (not infrastructure: it plays the other service). Every positive id is an
 * open SHOPPER account unless a test made it an owner ({@link #owner}) or unknown ({@link #unknown}); {@link #down}
 * makes every call fail with {@code UNAVAILABLE}.
 */
public final class FakeUserService extends UserServiceGrpc.UserServiceImplBase {

    public static final String NAME = "fake-user-service-it";
    private static final FakeUserService INSTANCE = new FakeUserService();

    static {
        try {
            Server server = InProcessServerBuilder.forName(NAME).addService(INSTANCE).build().start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Map<Long, Role> roles = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> unknown = new ConcurrentHashMap<>();
    private final AtomicBoolean down = new AtomicBoolean();

    public static FakeUserService instance() {
        return INSTANCE;
    }

    public void owner(long userId) {
        roles.put(userId, Role.OWNER);
    }

    public void unknown(long userId) {
        unknown.put(userId, true);
    }

    public void down(boolean isDown) {
        down.set(isDown);
    }

    @Override
    public void getUsers(GetUsersRequest request, StreamObserver<GetUsersResponse> responseObserver) {
        if (down.get()) {
            responseObserver.onError(Status.UNAVAILABLE.withDescription("user-service is down (test)").asException());
            return;
        }
        GetUsersResponse.Builder response = GetUsersResponse.newBuilder();
        request.getIdsList().stream().filter(id -> id > 0 && !unknown.containsKey(id)).forEach(id -> response.addUsers(
                User.newBuilder().setId(id).setEmail("user-" + id + "@example.com").setName("user " + id)
                        .setRole(roles.getOrDefault(id, Role.SHOPPER)).setCreatedAt("2026-11-21T00:00:00Z").build()));
        responseObserver.onNext(response.build());
        responseObserver.onCompleted();
    }
}
