package dev.couponhub.notification;

import java.util.concurrent.atomic.AtomicInteger;

import dev.couponhub.proto.user.v1.GetUsersRequest;
import dev.couponhub.proto.user.v1.GetUsersResponse;
import dev.couponhub.proto.user.v1.Role;
import dev.couponhub.proto.user.v1.User;
import dev.couponhub.proto.user.v1.UserServiceGrpc;
import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * Plays user-service over in-process gRPC: every id below {@link #CLOSED_FROM} is an open account with the address
 * {@code user-<id>@example.com}; ids from there on are closed accounts (absent from answers).
 */
public final class FakeUserService extends UserServiceGrpc.UserServiceImplBase {

    public static final String NAME = "fake-user-service-notification-it";
    public static final long CLOSED_FROM = 9_000_000_000_000L;
    private static final FakeUserService INSTANCE = new FakeUserService();

    static {
        try {
            Server server = InProcessServerBuilder.forName(NAME).addService(INSTANCE).build().start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AtomicInteger batchCalls = new AtomicInteger();

    public static FakeUserService instance() {
        return INSTANCE;
    }

    public static String email(long userId) {
        return "user-" + userId + "@example.com";
    }

    public int batchCalls() {
        return batchCalls.get();
    }

    @Override
    public void getUsers(GetUsersRequest request, StreamObserver<GetUsersResponse> responseObserver) {
        batchCalls.incrementAndGet();
        GetUsersResponse.Builder response = GetUsersResponse.newBuilder();
        request.getIdsList().stream().filter(id -> id > 0 && id < CLOSED_FROM).forEach(id -> response.addUsers(
                User.newBuilder().setId(id).setEmail(email(id)).setName("쇼퍼" + (id % 1000)).setRole(Role.SHOPPER)
                        .setCreatedAt("2026-11-21T00:00:00Z").build()));
        responseObserver.onNext(response.build());
        responseObserver.onCompleted();
    }
}
