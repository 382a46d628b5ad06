package dev.couponhub.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import dev.couponhub.proto.user.v1.GetUserRequest;
import dev.couponhub.proto.user.v1.GetUsersRequest;
import dev.couponhub.proto.user.v1.Role;
import dev.couponhub.proto.user.v1.User;
import dev.couponhub.proto.user.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gRPC service through the application's in-process server, against the real database. */
class UserGrpcIT extends UserServiceItSupport {

    private ManagedChannel channel;
    private UserServiceGrpc.UserServiceBlockingStub stub;

    @BeforeEach
    void connect() {
        channel = InProcessChannelBuilder.forName(GRPC_NAME).build();
        stub = UserServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void disconnect() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private UserServiceGrpc.UserServiceBlockingStub withDeadline() {
        return stub.withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    @Test
    void getUserThenTheAccount() {
        String email = uniqueEmail("grpc");
        long id = signUp(email, PASSWORD, "Grpc Owner", "OWNER").json().get("id").asLong();

        User user = withDeadline().getUser(GetUserRequest.newBuilder().setId(id).build());

        assertThat(user.getId()).isEqualTo(id);
        assertThat(user.getEmail()).isEqualTo(email);
        assertThat(user.getName()).isEqualTo("Grpc Owner");
        assertThat(user.getRole()).isEqualTo(Role.OWNER);
        assertThat(user.getCreatedAt()).isEqualTo(api.get("/api/v1/users/me", as(id)).json().get("createdAt").asText());
    }

    @Test
    void getUserWhenUnknownOrClosedThenNotFound() {
        long closed = signUpShopper(uniqueEmail("grpc-closed"));
        api.delete("/api/v1/users/me", as(closed));

        assertCode(() -> withDeadline().getUser(GetUserRequest.newBuilder().setId(closed).build()), Status.Code.NOT_FOUND);
        assertCode(() -> withDeadline().getUser(GetUserRequest.newBuilder().setId(Long.MAX_VALUE).build()),
                Status.Code.NOT_FOUND);
    }

    @Test
    void getUserWhenIdNotPositiveThenInvalidArgument() {
        assertCode(() -> withDeadline().getUser(GetUserRequest.newBuilder().setId(0).build()),
                Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void getUsersThenOpenAccountsOnlyInRequestOrder() {
        long a = signUpShopper(uniqueEmail("grpc-a"));
        long b = signUpShopper(uniqueEmail("grpc-b"));
        long closed = signUpShopper(uniqueEmail("grpc-c"));
        api.delete("/api/v1/users/me", as(closed));

        List<User> users = withDeadline().getUsers(GetUsersRequest.newBuilder()
                .addAllIds(List.of(b, Long.MAX_VALUE, closed, a, b)).build()).getUsersList();

        assertThat(users).extracting(User::getId).containsExactly(b, a);
        assertThat(users).allSatisfy(user -> assertThat(user.getEmail()).isNotBlank());
    }

    @Test
    void getUsersWhenMoreThan1000IdsThenInvalidArgument() {
        GetUsersRequest request = GetUsersRequest.newBuilder()
                .addAllIds(LongStream.rangeClosed(1, 1001).boxed().toList()).build();

        assertCode(() -> withDeadline().getUsers(request), Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void getUsersWith1000IdsThenAnswered() {
        long a = signUpShopper(uniqueEmail("grpc-k"));
        List<Long> ids = new ArrayList<>(LongStream.rangeClosed(Long.MAX_VALUE - 998, Long.MAX_VALUE)
                .boxed().toList());
        ids.add(a);

        assertThat(withDeadline().getUsers(GetUsersRequest.newBuilder().addAllIds(ids).build()).getUsersList())
                .extracting(User::getId).containsExactly(a);
    }

    private static void assertCode(Runnable call, Status.Code code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
