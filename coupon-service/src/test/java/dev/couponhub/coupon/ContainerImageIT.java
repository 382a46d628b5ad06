package dev.couponhub.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.devstack.Component;
import dev.couponhub.devstack.Devstack;
import dev.couponhub.proto.coupon.v1.ClaimRecord;
import dev.couponhub.proto.coupon.v1.CouponServiceGrpc;
import dev.couponhub.proto.coupon.v1.GetClaimHistoryRequest;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.ContainerImage;
import dev.couponhub.testsupport.JibImage;
import dev.couponhub.testsupport.Queues;
import dev.couponhub.testsupport.ServiceImageAssertions;
import dev.couponhub.testsupport.TestDevstack;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The image Jib built into {@code target/jib-image.tar} during {@code pre-integration-test} (on the offline base of
 * {@code deploy/image/build-base-image.sh}), run as the deployments run it ({@link ContainerImage}: chroot, the
 * image's user, its own PID and mount namespace): configured only by environment variables with the names of
 * {@code terraform/ecs.tf} and {@code docker-compose.yml}, against the test devstack's MariaDB, Redis, ElasticMQ and
 * Elasticsearch (shared with the other ITs of this JVM); store-service and user-service are {@link FakeStoreService} and
 * {@link FakeUserService} served over the network. Its events go to queues of this test's own, named by URL as ECS
 * names them.
 */
class ContainerImageIT {

    private static final Path TARGET = JibImage.TARGET;

    @RegisterExtension
    static final JibImage IMAGE = new JibImage();

    @Test
    void imageRunsTheServiceAsNonRootUserWithContainerMemoryFlagsItsPortsLayersAndHealthCheck() throws IOException {
        ServiceImageAssertions.assertServiceImage(IMAGE.get(), "dev.couponhub.coupon.CouponServiceApplication", 8083, 9093);
    }

    @Test
    void entrypointWithTheDeploymentsEnvironmentThenReadyAndACouponIsPublishedClaimedSearchedAndAnnounced()
            throws Exception {
        Devstack stack = TestDevstack.start(Component.MARIADB, Component.REDIS, Component.SQS,
                Component.ELASTICSEARCH);
        Server otherServices = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(FakeStoreService.instance()).addService(FakeUserService.instance()).build().start();
        try (Queues queues = new Queues()) {
            String notificationEvents = queues.createQueue("image-it-coupon-events-notification");
            String statsEvents = queues.createQueue("image-it-coupon-events-stats");
            String storeEvents = queues.createQueue("image-it-store-events");
            int port = ContainerImage.freePort();
            int grpcPort = ContainerImage.freePort();
            Map<String, String> env = new HashMap<>();
            env.put("AWS_REGION", "us-east-1");
            env.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
            env.put("DB_HOST", "127.0.0.1");
            env.put("DB_PORT", Integer.toString(stack.mariadbPort()));
            env.put("SPRING_DATASOURCE_PASSWORD", stack.dbPassword("coupon"));
            env.put("REDIS_HOST", "127.0.0.1");
            env.put("REDIS_PORT", Integer.toString(stack.redisPort()));
            env.put("ELASTICSEARCH_URIS", stack.elasticsearchUrl());
            env.put("SPRING_CLOUD_AWS_SQS_ENDPOINT", stack.sqsEndpoint());
            env.put("SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY", "local");
            env.put("SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY", "local");
            env.put("COUPONHUB_COUPON_EVENTS_QUEUES", queues.url(notificationEvents) + "," + queues.url(statsEvents));
            env.put("COUPONHUB_STORE_EVENTS_QUEUE", queues.url(storeEvents));
            env.put("STORE_SERVICE_GRPC_ADDRESS", "static://127.0.0.1:" + otherServices.getPort());
            env.put("USER_SERVICE_GRPC_ADDRESS", "static://127.0.0.1:" + otherServices.getPort());
            env.put("GRPC_SERVER_MAXCONNECTIONAGE", "5m");
            env.put("GRPC_SERVER_MAXCONNECTIONAGEGRACE", "30s");
            env.put("SERVER_PORT", Integer.toString(port));
            env.put("GRPC_SERVER_PORT", Integer.toString(grpcPort));
            env.put("JAVA_TOOL_OPTIONS", "-Xmx384m -XX:TieredStopAtLevel=1");

            try (ContainerImage.Service service = ServiceImageAssertions.startReady(IMAGE.get(), env, port,
                    TARGET.resolve("container-image-it.log"))) {
                assertThat(IMAGE.get().healthcheck(port, "/actuator/health"))
                        .as("every health indicator (the database and Redis among them) up").isZero();
                ApiClient api = new ApiClient(port);

                // publishing asks store-service (over gRPC) who owns the store
                long ownerId = ThreadLocalRandom.current().nextLong(1_000_000L, Long.MAX_VALUE / 2);
                long storeId = FakeStoreService.instance().addStore(ownerId, "Image Store", "CAFE");
                String word = "imageit" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                Map<String, Object> body = new HashMap<>();
                body.put("storeId", storeId);
                body.put("name", "Americano " + word);
                body.put("discountType", "FIXED");
                body.put("discountValue", 1000);
                body.put("totalQuantity", 10);
                body.put("issueStartsAt", now.minus(Duration.ofMinutes(1)).toString());
                body.put("issueEndsAt", now.plus(Duration.ofDays(1)).toString());
                body.put("validDaysAfterIssue", 30);
                ApiClient.Response published = api.post("/api/v1/coupons", body,
                        "X-User-Id", Long.toString(ownerId), "X-User-Role", "OWNER");
                assertThat(published.status()).as(published.toString()).isEqualTo(201);
                long couponId = published.json().get("id").asLong();

                // the claim: Redis gate, then MySQL
                long shopperId = ThreadLocalRandom.current().nextLong(1_000_000L, Long.MAX_VALUE / 2);
                ApiClient.Response claimed = api.send("POST", "/api/v1/coupons/" + couponId + "/claim", null,
                        "X-User-Id", Long.toString(shopperId), "X-User-Role", "SHOPPER");
                assertThat(claimed.status()).as(claimed.toString()).isEqualTo(201);

                ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext()
                        .build();
                try {
                    List<ClaimRecord> history = CouponServiceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .getClaimHistory(GetClaimHistoryRequest.newBuilder().setUserId(shopperId).build())
                            .getClaimsList();
                    assertThat(history).extracting(ClaimRecord::getCouponId).containsExactly(couponId);
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }

                assertThat(awaitSearchFinds(api, word)).as("the indexer put the coupon into Elasticsearch")
                        .contains(couponId);

                for (String queue : List.of(notificationEvents, statsEvents)) {
                    List<JsonNode> events = queues.receiveEvents(queue,
                            e -> e.path("payload").path("couponId").asLong() == couponId
                                    && e.path("type").asText().equals("COUPON_PUBLISHED"), 1, Duration.ofSeconds(30));
                    assertThat(events).as("COUPON_PUBLISHED relayed to " + queue).hasSize(1);
                }
            }
        } finally {
            otherServices.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static List<Long> awaitSearchFinds(ApiClient api, String word) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Long> ids = List.of();
        while (System.nanoTime() < deadline) {
            ApiClient.Response page = api.get("/api/v1/coupons/search?q="
                    + URLEncoder.encode(word, StandardCharsets.UTF_8));
            if (page.status() == 200) {
                List<Long> found = new ArrayList<>();
                page.json().path("content").forEach(coupon -> found.add(coupon.path("id").asLong()));
                ids = found;
                if (!ids.isEmpty()) {
                    return ids;
                }
            }
            Thread.sleep(500);
        }
        return ids;
    }
}
