package dev.couponhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.devstack.Component;
import dev.couponhub.devstack.Devstack;
import dev.couponhub.proto.store.v1.GetStoreRequest;
import dev.couponhub.proto.store.v1.Store;
import dev.couponhub.proto.store.v1.StoreServiceGrpc;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.ContainerImage;
import dev.couponhub.testsupport.JibImage;
import dev.couponhub.testsupport.Queues;
import dev.couponhub.testsupport.ServiceImageAssertions;
import dev.couponhub.testsupport.TestDevstack;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The image Jib built into {@code target/jib-image.tar} during {@code pre-integration-test} (on the offline base of
 * {@code deploy/image/build-base-image.sh}), run as the deployments run it ({@link ContainerImage}: chroot, the
 * image's user, its own PID and mount namespace): configured only by environment variables with the names of
 * {@code terraform/ecs.tf} and {@code docker-compose.yml}, against the test devstack's MariaDB and ElasticMQ (shared
 * with the other ITs of this JVM). Its store events go to a queue of this test's own, as ECS names the queue by URL.
 */
class ContainerImageIT {

    private static final Path TARGET = JibImage.TARGET;

    @RegisterExtension
    static final JibImage IMAGE = new JibImage();

    @Test
    void imageRunsTheServiceAsNonRootUserWithContainerMemoryFlagsItsPortsLayersAndHealthCheck() throws IOException {
        ServiceImageAssertions.assertServiceImage(IMAGE.get(), "dev.couponhub.store.StoreServiceApplication", 8082, 9092);
    }

    @Test
    void entrypointWithTheDeploymentsEnvironmentThenReadyStoresSavedServedOverGrpcAndTheirEventsSent()
            throws Exception {
        Devstack stack = TestDevstack.start(Component.MARIADB, Component.SQS);
        try (Queues queues = new Queues()) {
            String queue = queues.createQueue("image-it-store-events");
            int port = ContainerImage.freePort();
            int grpcPort = ContainerImage.freePort();
            Map<String, String> env = new HashMap<>();
            env.put("AWS_REGION", "us-east-1");
            env.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
            env.put("DB_HOST", "127.0.0.1");
            env.put("DB_PORT", Integer.toString(stack.mariadbPort()));
            env.put("SPRING_DATASOURCE_PASSWORD", stack.dbPassword("store"));
            env.put("SPRING_CLOUD_AWS_SQS_ENDPOINT", stack.sqsEndpoint());
            env.put("SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY", "local");
            env.put("SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY", "local");
            env.put("COUPONHUB_STORE_EVENTS_QUEUE", queues.url(queue));
            env.put("GRPC_SERVER_MAXCONNECTIONAGE", "5m");
            env.put("GRPC_SERVER_MAXCONNECTIONAGEGRACE", "30s");
            env.put("SERVER_PORT", Integer.toString(port));
            env.put("GRPC_SERVER_PORT", Integer.toString(grpcPort));

            try (ContainerImage.Service service = ServiceImageAssertions.startReady(IMAGE.get(), env, port,
                    TARGET.resolve("container-image-it.log"))) {
                assertThat(IMAGE.get().healthcheck(port, "/actuator/health"))
                        .as("every health indicator (the database among them) up").isZero();

                long ownerId = 700_000_000L + System.nanoTime() % 100_000_000L;
                ApiClient.Response created = new ApiClient(port).post("/api/v1/stores",
                        Map.of("name", "Image Cafe", "category", "CAFE", "address", "1 Image-ro"),
                        "X-User-Id", Long.toString(ownerId), "X-User-Role", "OWNER");
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                long storeId = created.json().get("id").asLong();

                ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext()
                        .build();
                try {
                    Store store = StoreServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .getStore(GetStoreRequest.newBuilder().setId(storeId).build());
                    assertThat(store.getOwnerId()).isEqualTo(ownerId);
                    assertThat(store.getName()).isEqualTo("Image Cafe");
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }

                List<JsonNode> events = queues.receive(queue,
                        m -> m.path("payload").path("storeId").asLong() == storeId, 1, Duration.ofSeconds(30));
                assertThat(events).as("the outbox relay sent the new store's event to the queue it was given")
                        .hasSize(1);
                assertThat(events.get(0).path("payload").path("ownerId").asLong()).isEqualTo(ownerId);
            }
        }
    }
}
