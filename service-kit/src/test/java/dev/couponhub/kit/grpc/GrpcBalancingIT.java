package dev.couponhub.kit.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A service's client of another service that runs as several tasks, wired as every service wires it
 * (grpc-spring-boot-starter's channel, whose default policy is {@code round_robin}): when the name resolves to several
 * addresses, as {@code dns:///store-service.couponhub.local:9092} does to the tasks Cloud Map lists, the calls are
 * spread over all of them; when one task is replaced by another at a new address, the client resolves the name again
 * and recovers without a restart. The resolver here is a test one over a list the test changes (the JVM cannot be
 * given a second address for a host name), standing in for gRPC's DNS resolver, which is resolved the same way.
 */
class GrpcBalancingIT {

    private static final String SCHEME = "couponhub-test-dns";
    /** The addresses the name resolves to right now ("the DNS records"). */
    private static final List<InetSocketAddress> RECORDS = new CopyOnWriteArrayList<>();
    private static final AtomicInteger RESOLUTIONS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Server> running = new ArrayList<>();
    private ConfigurableApplicationContext service;

    @BeforeAll
    static void registerTheResolver() {
        NameResolverRegistry.getDefaultRegistry().register(new ListResolverProvider());
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        running.forEach(Server::shutdownNow);
        RECORDS.clear();
    }

    @Test
    void twoTasksThenCallsSpreadOverBothAndOneReplacedThenTheNewOneServesWithoutARestart() throws IOException {
        Echo.Server first = new Echo.Server();
        Echo.Server second = new Echo.Server();
        Server firstTask = start(first);
        start(second);
        service = new SpringApplicationBuilder(GrpcClientIT.EchoClientService.class)
                .web(WebApplicationType.NONE)
                .properties("grpc.client.echo-service.address=" + SCHEME + ":///echo-service",
                        "grpc.client.echo-service.negotiation-type=plaintext",
                        "couponhub.echoes.deadline=2s",
                        "couponhub.echoes.breaker.minimum-number-of-calls=1000")
                .run();
        GrpcDependency<Echo.Stub> echoes = service.getBean(GrpcClientIT.EchoDirectory.class).echoes;

        for (int i = 0; i < 40; i++) {
            String answer = echoes.call("Echo", stub -> stub.echo("call"));
            assertThat(answer).isEqualTo("call");
        }
        assertThat(first.calls.get()).as("calls to the first task").isBetween(15, 25);
        assertThat(second.calls.get()).as("calls to the second task").isBetween(15, 25);

        // the first task is replaced: it stops, and the records now list a new task at another address
        Echo.Server replacement = new Echo.Server();
        int resolutionsBefore = RESOLUTIONS.get();
        RECORDS.remove(address(firstTask));
        firstTask.shutdownNow();
        start(replacement);

        await().atMost(WAIT).untilAsserted(() -> {
            try {
                echoes.call("Echo", stub -> stub.echo("again"));
            } catch (RuntimeException e) {
                // calls routed to the stopped task fail until the name is resolved again
            }
            assertThat(replacement.calls.get()).isPositive();
        });
        assertThat(RESOLUTIONS.get()).as("the name resolved again").isGreaterThan(resolutionsBefore);
        int secondBefore = second.calls.get();
        int replacementBefore = replacement.calls.get();
        for (int i = 0; i < 40; i++) {
            String answer = echoes.call("Echo", stub -> stub.echo("after"));
            assertThat(answer).isEqualTo("after");
        }
        assertThat(second.calls.get() - secondBefore).isBetween(15, 25);
        assertThat(replacement.calls.get() - replacementBefore).isBetween(15, 25);
    }

    private Server start(Echo.Server server) throws IOException {
        Server task = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()))
                .addService(server.echo()).addService(server.health()).build().start();
        running.add(task);
        RECORDS.add(address(task));
        return task;
    }

    private static InetSocketAddress address(Server task) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), task.getPort());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resolves any name of its scheme to {@link #RECORDS}, again on every refresh, as a DNS lookup would. */
    private static final class ListResolverProvider extends NameResolverProvider {

        @Override
        protected boolean isAvailable() {
            return true;
        }

        @Override
        protected int priority() {
            return 5;
        }

        @Override
        public String getDefaultScheme() {
            return SCHEME;
        }

        @Override
        public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
            if (!SCHEME.equals(targetUri.getScheme())) {
                return null;
            }
            return new NameResolver() {
                private Listener2 listener;

                @Override
                public String getServiceAuthority() {
                    return "echo-service";
                }

                @Override
                public void start(Listener2 listener) {
                    this.listener = listener;
                    resolve();
                }

                @Override
                public void refresh() {
                    resolve();
                }

                private void resolve() {
                    RESOLUTIONS.incrementAndGet();
                    List<EquivalentAddressGroup> groups = new ArrayList<>();
                    for (SocketAddress address : RECORDS) {
                        groups.add(new EquivalentAddressGroup(address));
                    }
                    listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
                }

                @Override
                public void shutdown() {
                }
            };
        }
    }
}
