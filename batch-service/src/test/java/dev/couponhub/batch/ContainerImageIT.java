package dev.couponhub.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.devstack.Component;
import dev.couponhub.devstack.Devstack;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.ContainerImage;
import dev.couponhub.testsupport.JibImage;
import dev.couponhub.testsupport.Queues;
import dev.couponhub.testsupport.ServiceImageAssertions;
import dev.couponhub.testsupport.SqsBacklogGauge;
import dev.couponhub.testsupport.TestDevstack;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The image Jib built into {@code target/jib-image.tar} during {@code pre-integration-test} (on the offline base of
 * {@code deploy/image/build-base-image.sh}), run as the deployments run it ({@link ContainerImage}: chroot, the
 * image's user, its own PID and mount namespace): configured only by environment variables with the names of
 * {@code terraform/ecs.tf} and {@code docker-compose.yml}, against the test devstack's MariaDB and ElasticMQ (shared
 * with the other ITs of this JVM); store-service is {@link FakeStoreDirectory} served over the network. Its coupon
 * events come from a queue of this test's own, named by URL as ECS names it. The schedule is off, as in
 * every IT of this module: a scheduled run would write statistics into the database the other ITs check.
 */
class ContainerImageIT {

    private static final Path TARGET = JibImage.TARGET;

    @RegisterExtension
    static final JibImage IMAGE = new JibImage();

    @Test
    void imageRunsTheServiceAsNonRootUserWithContainerMemoryFlagsItsPortLayersAndHealthCheck() throws IOException {
        ServiceImageAssertions.assertServiceImage(IMAGE.get(), "dev.couponhub.batch.BatchServiceApplication", 8085);
    }

    @Test
    void entrypointWithTheDeploymentsEnvironmentThenReadyEventsRecordedAndTheJobRuns() throws Exception {
        Devstack stack = TestDevstack.start(Component.MARIADB, Component.SQS);
        Server storeService = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(FakeStoreDirectory.instance()).build().start();
        String queue = "image-it-coupon-events-stats-" + UUID.randomUUID().toString().substring(0, 8);
        SqsBacklogGauge.createQueues(queue);
        try (Queues queues = new Queues()) {
            int port = ContainerImage.freePort();
            Map<String, String> env = new HashMap<>();
            env.put("AWS_REGION", "us-east-1");
            env.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
            env.put("DB_HOST", "127.0.0.1");
            env.put("DB_PORT", Integer.toString(stack.mariadbPort()));
            env.put("SPRING_DATASOURCE_PASSWORD", stack.dbPassword("batch"));
            env.put("SPRING_CLOUD_AWS_SQS_ENDPOINT", stack.sqsEndpoint());
            env.put("SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY", "local");
            env.put("SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY", "local");
            env.put("COUPONHUB_STATS_EVENTS_QUEUE", queues.url(queue));
            env.put("COUPONHUB_STATS_ZONE", "Asia/Seoul");
            env.put("COUPONHUB_STATS_SCHEDULE_ENABLED", "false");
            env.put("STORE_SERVICE_GRPC_ADDRESS", "static://127.0.0.1:" + storeService.getPort());
            env.put("SERVER_PORT", Integer.toString(port));

            try (ContainerImage.Service service = ServiceImageAssertions.startReady(IMAGE.get(), env, port,
                    TARGET.resolve("container-image-it.log"))) {
                assertThat(IMAGE.get().healthcheck(port, "/actuator/health"))
                        .as("every health indicator (the database among them) up").isZero();

                long ownerId = BatchItSupport.newId();
                long storeId = FakeStoreDirectory.instance().addStore(ownerId);
                long couponId = BatchItSupport.newId();
                queues.send(queue, BatchItSupport.claimed(couponId, storeId, BatchItSupport.newId(), Instant.now()));
                await().atMost(Duration.ofSeconds(30)).until(() -> ledgerRows(stack, couponId) == 1);

                ApiClient api = new ApiClient(port);
                ApiClient.Response started = api.post("/api/v1/batch/jobs/coupon-usage-stats/runs", Map.of(),
                        BatchItSupport.admin());
                assertThat(started.status()).as(started.toString()).isEqualTo(202);
                long runId = started.json().get("runId").asLong();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        api.get("/api/v1/batch/jobs/coupon-usage-stats/runs/" + runId, BatchItSupport.admin())
                                .json().path("status").asText()).isEqualTo("COMPLETED"));

                // the owner's figures: ownership asked of store-service over gRPC, the day's claim counted by the job
                ApiClient.Response stats = api.get("/api/v1/stats/stores/" + storeId + "/coupons",
                        BatchItSupport.as(ownerId, "OWNER"));
                assertThat(stats.status()).as(stats.toString()).isEqualTo(200);
                JsonNode coupon = stats.json().path("coupons").get(0);
                assertThat(coupon.path("couponId").asLong()).isEqualTo(couponId);
                assertThat(coupon.path("totals").path("issued").asLong()).isEqualTo(1);
            }
        } finally {
            storeService.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Rows of the coupon in the ledger, read as the service's database user. */
    private static int ledgerRows(Devstack stack, long couponId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl("batch_db"), stack.dbUser("batch"),
                stack.dbPassword("batch"));
             PreparedStatement query = connection.prepareStatement(
                     "SELECT COUNT(*) FROM usage_events WHERE coupon_id = ?")) {
            query.setLong(1, couponId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
