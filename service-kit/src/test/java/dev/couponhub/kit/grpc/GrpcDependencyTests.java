package dev.couponhub.kit.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;

import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls through a dependency to an in-process server: deadline, breaker, "not found", fast 503. */
class GrpcDependencyTests {

    private static final String DETAIL = "Echoes are not available right now. Try again shortly.";

    private final Echo.Server server = new Echo.Server();
    private final String name = "echo-" + UUID.randomUUID();
    private Server running;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        running = InProcessServerBuilder.forName(name).directExecutor()
                .addService(server.echo()).addService(server.health()).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        running.shutdownNow();
    }

    private GrpcDependency<Echo.Stub> dependency(Duration deadline) {
        return new GrpcDependency<>("echo-service", channel, Echo.Stub::of,
                new GrpcClientProperties(deadline, null, null), DETAIL);
    }

    @Test
    void callWhenTheServiceAnswersThenItsAnswer() {
        String answer = dependency(Duration.ofSeconds(5)).call("Echo", stub -> stub.echo("hello"));

        assertThat(answer).isEqualTo("hello");
    }

    @Test
    void callWhenNotFoundThenTheCallersExceptionAndTheBreakerStaysClosed() {
        server.behaviour = Echo.Behaviour.NOT_FOUND;
        GrpcDependency<Echo.Stub> echo = dependency(Duration.ofSeconds(5));

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> echo.call("Echo", stub -> stub.echo("x"), () -> new IllegalStateException("none")))
                    .isInstanceOf(IllegalStateException.class).hasMessage("none");
        }

        assertThat(echo.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(server.calls).hasValue(10);
    }

    @Test
    void callWhenNotFoundIsNotExpectedThenDependencyUnavailable() {
        server.behaviour = Echo.Behaviour.NOT_FOUND;

        assertUnavailable(() -> dependency(Duration.ofSeconds(5)).call("Echo", stub -> stub.echo("x")));
    }

    @Test
    void callWhenTheServiceIsSlowerThanTheDeadlineThenDependencyUnavailableAtTheDeadline() {
        server.behaviour = Echo.Behaviour.HANG;
        GrpcDependency<Echo.Stub> echo = dependency(Duration.ofMillis(200));

        long started = System.nanoTime();
        assertUnavailable(() -> echo.call("Echo", stub -> stub.echo("x"), IllegalStateException::new));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(150),
                Duration.ofSeconds(3));
    }

    @Test
    void callWhenFailuresReachTheThresholdThenTheBreakerOpensAndAnswersWithoutCallingTheService() {
        server.behaviour = Echo.Behaviour.FAIL;
        GrpcDependency<Echo.Stub> echo = dependency(Duration.ofSeconds(5));

        for (int i = 0; i < 5; i++) { // the default minimum number of calls, all failed: 100 % > 50 %
            assertUnavailable(() -> echo.call("Echo", stub -> stub.echo("x")));
        }
        assertThat(echo.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);

        server.behaviour = Echo.Behaviour.ANSWER;
        assertUnavailable(() -> echo.call("Echo", stub -> stub.echo("x")));
        assertThat(server.calls).hasValue(5);
    }

    @Test
    void callIfAvailableThenTheAnswerOrNothing() {
        GrpcDependency<Echo.Stub> echo = dependency(Duration.ofSeconds(5));
        assertThat(echo.callIfAvailable("Echo", stub -> stub.echo("hi"))).contains("hi");

        server.behaviour = Echo.Behaviour.FAIL;
        assertThat(echo.callIfAvailable("Echo", stub -> stub.echo("hi"))).isEmpty();
        server.behaviour = Echo.Behaviour.NOT_FOUND;
        assertThat(echo.callIfAvailable("Echo", stub -> stub.echo("hi"))).isEmpty();
    }

    @Test
    void connectWhenAServerAnswersTheHealthCheckThenConnectedWhateverItSays() {
        assertThat(dependency(Duration.ofSeconds(5)).connect(Duration.ofSeconds(5))).isTrue();
        assertThat(server.healthChecks).hasValue(1);
    }

    @Test
    void connectWhenNoServerThenNotConnected() {
        running.shutdownNow();

        assertThat(dependency(Duration.ofSeconds(5)).connect(Duration.ofSeconds(1))).isFalse();
    }

    private static void assertUnavailable(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(StandardProblem.DEPENDENCY_UNAVAILABLE);
            assertThat(e.detail()).isEqualTo(DETAIL);
        });
    }
}
