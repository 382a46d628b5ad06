package dev.couponhub.kit.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A service's client of another service, as a service wires it (grpc-spring-boot-starter's channel from
 * {@code grpc.client.echo-service.*}, the settings under its own keys), against a real server on a TCP port: the
 * start-up warm-up, the deadline, the breaker and the fast 503s.
 */
class GrpcClientIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Echo.Server server = new Echo.Server();
    private final int port = freePort();
    private ConfigurableApplicationContext service;
    private Server running;

    private void startService() {
        service = new SpringApplicationBuilder(EchoClientService.class)
                .web(WebApplicationType.NONE)
                .properties("grpc.client.echo-service.address=static://127.0.0.1:" + port,
                        "grpc.client.echo-service.negotiation-type=plaintext",
                        "couponhub.echoes.deadline=500ms",
                        "couponhub.echoes.warm-up.pause=100ms",
                        "couponhub.echoes.breaker.wait-in-open-state=5m")
                .run();
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        if (running != null) {
            running.shutdownNow();
        }
    }

    private void startServer() throws IOException {
        running = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .addService(server.echo()).addService(server.health()).build().start();
    }

    private GrpcDependency<Echo.Stub> echoes() {
        return service.getBean(EchoDirectory.class).echoes;
    }

    @Test
    void serviceStartedBeforeTheOtherOneThenTheWarmUpConnectsOnceItIsUp() throws IOException {
        startService();
        GrpcClients clients = service.getBean(GrpcClients.class);
        assertThat(clients.warmUpsRunning()).isEqualTo(1);

        startServer();

        await().atMost(WAIT).until(() -> clients.warmUpsRunning() == 0);
        assertThat(server.healthChecks).hasValue(1);
        String answer = echoes().call("Echo", stub -> stub.echo("warm"));
        assertThat(answer).isEqualTo("warm");
    }

    @Test
    void otherServiceSlowerThanTheDeadlineThenDependencyUnavailableAtTheDeadline() throws IOException {
        startServer();
        startService();
        String answer = echoes().call("Echo", stub -> stub.echo("up"));
        assertThat(answer).isEqualTo("up");
        server.behaviour = Echo.Behaviour.HANG;

        long started = System.nanoTime();
        assertUnavailable(() -> echoes().call("Echo", stub -> stub.echo("slow")));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(400),
                Duration.ofSeconds(3));
    }

    @Test
    void otherServiceKeepsFailingThenTheBreakerOpensAndAnswersAtOnceWithoutCallingIt() throws IOException {
        startServer();
        startService();
        server.behaviour = Echo.Behaviour.FAIL;
        for (int i = 0; i < 5; i++) {
            assertUnavailable(() -> echoes().call("Echo", stub -> stub.echo("x")));
        }
        assertThat(echoes().breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        server.behaviour = Echo.Behaviour.HANG;

        for (int i = 0; i < 20; i++) {
            long started = System.nanoTime();
            assertUnavailable(() -> echoes().call("Echo", stub -> stub.echo("x")));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));
        }
        assertThat(server.calls).hasValue(5);
    }

    @Test
    void otherServiceDownThenDependencyUnavailableFast() {
        startService();
        // the first call also pays for a cold JVM (class loading of gRPC's transport): answered, not timed
        assertUnavailable(() -> echoes().call("Echo", stub -> stub.echo("x")));
        for (int i = 0; i < 8; i++) {
            long started = System.nanoTime();
            assertUnavailable(() -> echoes().call("Echo", stub -> stub.echo("x")));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
        }
        assertThat(echoes().breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    private static void assertUnavailable(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(StandardProblem.DEPENDENCY_UNAVAILABLE);
            assertThat(e.detail()).isEqualTo(EchoDirectory.UNAVAILABLE);
        });
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A service that calls echo-service, wired the way a service wires its client. */
    @SpringBootConfiguration
    @ImportAutoConfiguration({net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration.class,
            GrpcClientAutoConfiguration.class})
    @EnableConfigurationProperties(EchoClientProperties.class)
    static class EchoClientService {

        @Bean
        EchoDirectory echoDirectory(GrpcClients clients, EchoClientProperties properties) {
            return new EchoDirectory(clients, properties);
        }
    }

    @ConfigurationProperties("couponhub")
    record EchoClientProperties(@DefaultValue GrpcClientProperties echoes) {
    }

    /** The service's domain adapter (here nothing but the dependency). */
    static final class EchoDirectory {

        static final String UNAVAILABLE = "Echoes are not available right now. Try again shortly.";

        final GrpcDependency<Echo.Stub> echoes;

        EchoDirectory(GrpcClients clients, EchoClientProperties properties) {
            this.echoes = clients.dependency("echo-service", Echo.Stub::of, properties.echoes(), UNAVAILABLE);
        }
    }
}
