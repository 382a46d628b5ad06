package dev.couponhub.kit.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The start-up warm-up: retried until the other service answers, outside the breaker, stopped with the context. */
class GrpcClientsTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Echo.Server server = new Echo.Server();
    private final String name = "echo-" + UUID.randomUUID();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final GrpcClients clients = new GrpcClients(target -> {
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        channels.add(channel);
        return channel;
    });
    private Server running;

    @AfterEach
    void stop() {
        clients.destroy();
        channels.forEach(ManagedChannel::shutdownNow);
        if (running != null) {
            running.shutdownNow();
        }
    }

    private void startServer() throws Exception {
        running = InProcessServerBuilder.forName(name).addService(server.echo()).addService(server.health())
                .build().start();
    }

    private GrpcDependency<Echo.Stub> dependency(GrpcClientProperties.WarmUp warmUp) {
        return clients.dependency("echo-service", Echo.Stub::of,
                new GrpcClientProperties(Duration.ofSeconds(1), null, warmUp), "unavailable");
    }

    private static GrpcClientProperties.WarmUp warmUp(boolean enabled, boolean awaitFirst) {
        return new GrpcClientProperties.WarmUp(enabled, Duration.ofSeconds(1), Duration.ofMillis(50), 1000,
                awaitFirst);
    }

    @Test
    void startWhenTheServiceComesUpLaterThenTheWarmUpConnectsOnceItIsUpAndEnds() throws Exception {
        dependency(warmUp(true, false));
        clients.start();
        assertThat(clients.warmUpsRunning()).isEqualTo(1);

        startServer();

        await().atMost(WAIT).until(() -> clients.warmUpsRunning() == 0);
        assertThat(server.healthChecks).hasValue(1);
        assertThat(server.calls).hasValue(0);
    }

    @Test
    void dependencyMadeAfterStartThenWarmedUpToo() throws Exception {
        startServer();
        clients.start();

        dependency(warmUp(true, false));

        await().atMost(WAIT).until(() -> server.healthChecks.get() == 1 && clients.warmUpsRunning() == 0);
    }

    @Test
    void awaitFirstWhenTheServiceIsUpThenStartReturnsWarmAndNoThreadIsLeft() throws Exception {
        startServer();
        dependency(warmUp(true, true));

        clients.start();

        assertThat(server.healthChecks).hasValue(1);
        assertThat(clients.warmUpsRunning()).isZero();
    }

    @Test
    void warmUpDisabledThenNoCall() throws Exception {
        startServer();
        dependency(warmUp(false, false));

        clients.start();

        assertThat(clients.warmUpsRunning()).isZero();
        assertThat(server.healthChecks).hasValue(0);
    }

    @Test
    void destroyWhileTheServiceIsDownThenTheWarmUpStops() {
        dependency(warmUp(true, false));
        clients.start();
        assertThat(clients.warmUpsRunning()).isEqualTo(1);

        clients.destroy();

        await().atMost(WAIT).until(() -> clients.warmUpsRunning() == 0);
    }

    @Test
    void startTwiceThenOneWarmUp() {
        dependency(warmUp(true, false));

        clients.start();
        clients.start();

        assertThat(clients.warmUpsRunning()).isEqualTo(1);
    }
}
