package dev.couponhub.notification.user;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.couponhub.notification.config.Breakers;
import dev.couponhub.notification.config.GrpcClientProperties;
import dev.couponhub.proto.user.v1.GetUsersRequest;
import dev.couponhub.proto.user.v1.UserServiceGrpc;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.springframework.stereotype.Component;

/** E-mail addresses from user-service: one gRPC {@code GetUsers} call per batch, with a deadline and a breaker. */
@Component
public class UserDirectory {

    /** GetUsers takes at most this many ids per call. */
    public static final int BATCH_LIMIT = 1000;

    @GrpcClient("user-service")
    private UserServiceGrpc.UserServiceBlockingStub users;

    private final GrpcClientProperties.Client properties;
    private final CircuitBreaker breaker;

    UserDirectory(GrpcClientProperties properties) {
        this.properties = properties.users();
        this.breaker = Breakers.of("user-service", this.properties.breaker());
    }

    /**
     * The open accounts among the ids (closed or unknown ones are absent).
     *
     * @throws RuntimeException when user-service cannot answer (the caller retries later)
     */
    public Map<Long, Recipient> recipients(Collection<Long> userIds) {
        if (userIds.size() > BATCH_LIMIT) {
            throw new IllegalArgumentException("at most " + BATCH_LIMIT + " ids per look-up");
        }
        GetUsersRequest request = GetUsersRequest.newBuilder().addAllIds(userIds).build();
        return breaker.executeSupplier(() -> users
                        .withDeadlineAfter(properties.deadline().toMillis(), TimeUnit.MILLISECONDS)
                        .getUsers(request))
                .getUsersList().stream()
                .filter(user -> !user.getEmail().isBlank())
                .map(user -> new Recipient(user.getId(), user.getEmail(), user.getName()))
                .collect(Collectors.toMap(Recipient::userId, Function.identity(), (a, b) -> a));
    }
}
