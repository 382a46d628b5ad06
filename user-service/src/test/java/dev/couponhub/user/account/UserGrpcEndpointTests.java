package dev.couponhub.user.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import dev.couponhub.proto.user.v1.GetUserRequest;
import dev.couponhub.proto.user.v1.GetUsersRequest;
import dev.couponhub.proto.user.v1.GetUsersResponse;
import dev.couponhub.proto.user.v1.User;
import dev.couponhub.proto.user.v1.UserServiceGrpc;
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

/** The gRPC endpoint in a plain in-process server, over an in-memory set of accounts. */
class UserGrpcEndpointTests {

    private static final Instant CREATED = Instant.parse("2026-11-21T09:00:00Z");

    private final InMemoryAccounts accounts = new InMemoryAccounts();
    private Server server;
    private ManagedChannel channel;
    private UserServiceGrpc.UserServiceBlockingStub stub;

    @BeforeEach
    void start() throws Exception {
        accounts.add(account(1, "shopper@example.com", "Shopper", Role.SHOPPER, false));
        accounts.add(account(2, "owner@example.com", "Owner", Role.OWNER, false));
        accounts.add(account(3, "gone@example.com", "Gone", Role.SHOPPER, true));
        accounts.add(account(4, "admin@example.com", "Admin", Role.ADMIN, false));
        String name = "user-grpc-" + UUID.randomUUID();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new UserGrpcEndpoint(accounts)).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = UserServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void getUserWhenOpenThenAllFields() {
        User user = stub.getUser(GetUserRequest.newBuilder().setId(2).build());

        assertThat(user.getId()).isEqualTo(2);
        assertThat(user.getEmail()).isEqualTo("owner@example.com");
        assertThat(user.getName()).isEqualTo("Owner");
        assertThat(user.getRole()).isEqualTo(dev.couponhub.proto.user.v1.Role.OWNER);
        assertThat(user.getCreatedAt()).isEqualTo("2026-11-21T09:00:00Z");
    }

    @Test
    void getUserWhenAdminThenRoleAdmin() {
        assertThat(stub.getUser(GetUserRequest.newBuilder().setId(4).build()).getRole())
                .isEqualTo(dev.couponhub.proto.user.v1.Role.ADMIN);
    }

    @Test
    void getUserWhenUnknownThenNotFound() {
        assertStatus(() -> stub.getUser(GetUserRequest.newBuilder().setId(99).build()), Status.Code.NOT_FOUND);
    }

    @Test
    void getUserWhenClosedThenNotFound() {
        assertStatus(() -> stub.getUser(GetUserRequest.newBuilder().setId(3).build()), Status.Code.NOT_FOUND);
    }

    @Test
    void getUserWhenIdZeroOrNegativeThenInvalidArgument() {
        assertStatus(() -> stub.getUser(GetUserRequest.newBuilder().build()), Status.Code.INVALID_ARGUMENT);
        assertStatus(() -> stub.getUser(GetUserRequest.newBuilder().setId(-5).build()), Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void getUsersThenOpenOnesInRequestOrderUnknownAndClosedOmittedDuplicatesOnce() {
        GetUsersResponse response = stub.getUsers(GetUsersRequest.newBuilder()
                .addAllIds(List.of(4L, 99L, 1L, 3L, 4L, 2L)).build());

        assertThat(response.getUsersList()).extracting(User::getId).containsExactly(4L, 1L, 2L);
        assertThat(accounts.batchQueries.get()).isEqualTo(1);
    }

    @Test
    void getUsersWhenEmptyThenEmptyWithoutQuery() {
        assertThat(stub.getUsers(GetUsersRequest.newBuilder().build()).getUsersList()).isEmpty();
        assertThat(accounts.batchQueries.get()).isZero();
    }

    @Test
    void getUsersWhenThousandIdsThenAnswered() {
        GetUsersResponse response = stub.getUsers(GetUsersRequest.newBuilder()
                .addAllIds(LongStream.rangeClosed(1, 1000).boxed().toList()).build());

        assertThat(response.getUsersList()).extracting(User::getId).containsExactly(1L, 2L, 4L);
    }

    @Test
    void getUsersWhenMoreThanThousandIdsThenInvalidArgument() {
        GetUsersRequest request = GetUsersRequest.newBuilder()
                .addAllIds(LongStream.rangeClosed(1, 1001).boxed().toList()).build();

        assertStatus(() -> stub.getUsers(request), Status.Code.INVALID_ARGUMENT);
        assertThat(accounts.batchQueries.get()).isZero();
    }

    @Test
    void getUsersWhenAnIdIsNotPositiveThenInvalidArgument() {
        assertStatus(() -> stub.getUsers(GetUsersRequest.newBuilder().addAllIds(List.of(1L, 0L)).build()),
                Status.Code.INVALID_ARGUMENT);
    }

    private static void assertStatus(Runnable call, Status.Code code) {
        assertThatThrownBy(call::run).isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(code));
    }

    private static Account account(long id, String email, String name, Role role, boolean closed) {
        Account account = Account.open(email, name, role, "$2a$10$hash", CREATED);
        ReflectionTestUtils.setField(account, "id", id);
        if (closed) {
            account.close(CREATED.plusSeconds(60));
        }
        return account;
    }

    private static final class InMemoryAccounts implements ActiveAccounts {

        private final Map<Long, Account> byId = new HashMap<>();
        final AtomicInteger batchQueries = new AtomicInteger();

        void add(Account account) {
            byId.put(account.id(), account);
        }

        @Override
        public Optional<Account> findByIdAndClosedAtIsNull(long id) {
            return Optional.ofNullable(byId.get(id)).filter(Account::isOpen);
        }

        @Override
        public List<Account> findByIdInAndClosedAtIsNull(Collection<Long> ids) {
            batchQueries.incrementAndGet();
            Map<Long, Account> open = byId.values().stream().filter(Account::isOpen)
                    .collect(Collectors.toMap(Account::id, Function.identity()));
            // deliberately not in request order
            return ids.stream().sorted().map(open::get).filter(a -> a != null).toList();
        }
    }
}
