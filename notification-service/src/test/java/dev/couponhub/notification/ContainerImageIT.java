package dev.couponhub.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
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
 * GreenMail (shared with the other ITs of this JVM). store-service and user-service are {@link FakeStoreService} and
 * {@link FakeUserService} served over the network; coupon-service is not running (only the live stock calls it). Its
 * coupon events come from a queue of this test's own, named by URL as ECS names it.
 */
class ContainerImageIT {

    private static final Path TARGET = JibImage.TARGET;

    @RegisterExtension
    static final JibImage IMAGE = new JibImage();

    @Test
    void imageRunsTheServiceAsNonRootUserWithContainerMemoryFlagsItsPortLayersAndHealthCheck() throws IOException {
        ServiceImageAssertions.assertServiceImage(IMAGE.get(),
                "dev.couponhub.notification.NotificationServiceApplication", 8084);
    }

    @Test
    void entrypointWithTheDeploymentsEnvironmentThenReadyAndAFollowerGetsTheAlertInTheInboxAndByMail()
            throws Exception {
        Devstack stack = TestDevstack.start(Component.MARIADB, Component.REDIS, Component.SQS, Component.SMTP);
        Server otherServices = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(FakeStoreService.instance()).addService(FakeUserService.instance()).build().start();
        String queue = "image-it-coupon-events-" + UUID.randomUUID().toString().substring(0, 8);
        SqsBacklogGauge.createQueues(queue);
        try (Queues queues = new Queues()) {
            int port = ContainerImage.freePort();
            Map<String, String> env = new HashMap<>();
            env.put("AWS_REGION", "us-east-1");
            env.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
            env.put("DB_HOST", "127.0.0.1");
            env.put("DB_PORT", Integer.toString(stack.mariadbPort()));
            env.put("SPRING_DATASOURCE_PASSWORD", stack.dbPassword("notification"));
            env.put("REDIS_HOST", "127.0.0.1");
            env.put("REDIS_PORT", Integer.toString(stack.redisPort()));
            env.put("SPRING_CLOUD_AWS_SQS_ENDPOINT", stack.sqsEndpoint());
            env.put("SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY", "local");
            env.put("SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY", "local");
            env.put("COUPONHUB_NOTIFICATION_EVENTS_QUEUE", queues.url(queue));
            env.put("SPRING_MAIL_HOST", "127.0.0.1");
            env.put("SPRING_MAIL_PORT", Integer.toString(stack.smtpPort()));
            env.put("STORE_SERVICE_GRPC_ADDRESS", "static://127.0.0.1:" + otherServices.getPort());
            env.put("USER_SERVICE_GRPC_ADDRESS", "static://127.0.0.1:" + otherServices.getPort());
            env.put("COUPON_SERVICE_GRPC_ADDRESS", "static://127.0.0.1:" + ContainerImage.freePort());
            env.put("SERVER_PORT", Integer.toString(port));

            try (ContainerImage.Service service = ServiceImageAssertions.startReady(IMAGE.get(), env, port,
                    TARGET.resolve("container-image-it.log"))) {
                assertThat(IMAGE.get().healthcheck(port, "/actuator/health"))
                        .as("every health indicator (the database and Redis among them) up").isZero();
                ApiClient api = new ApiClient(port);

                String word = "image" + UUID.randomUUID().toString().substring(0, 8);
                long storeId = FakeStoreService.instance().addStore("Image Store " + word);
                long userId = ThreadLocalRandom.current().nextLong(1_000_000L, FakeUserService.CLOSED_FROM / 2);
                String[] shopper = {"X-User-Id", Long.toString(userId), "X-User-Role", "SHOPPER"};
                ApiClient.Response subscribed = api.post("/api/v1/subscriptions", Map.of("storeId", storeId), shopper);
                assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);

                String couponName = "Coupon " + word;
                queues.send(queue, published(storeId, "Image Store " + word, couponName));

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(api.get("/api/v1/notifications", shopper).body()).contains(couponName));
                String email = FakeUserService.email(userId);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(mails(stack.mailApiUrl(), email)).contains("\"subject\""));
            }
        } finally {
            otherServices.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A COUPON_PUBLISHED event as coupon-service's outbox relay sends it (coupon-service/EVENTS.md). */
    private static String published(long storeId, String storeName, String couponName) throws IOException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> payload = new HashMap<>();
        payload.put("couponId", ThreadLocalRandom.current().nextLong(1_000_000L, 1_000_000_000L));
        payload.put("storeId", storeId);
        payload.put("storeName", storeName);
        payload.put("couponName", couponName);
        payload.put("discountType", "FIXED");
        payload.put("discountValue", 1000);
        payload.put("totalQuantity", 100);
        payload.put("issueStartsAt", now.toString());
        payload.put("issueEndsAt", now.plus(Duration.ofDays(1)).toString());
        return ApiClient.JSON.writeValueAsString(Map.of("eventId", UUID.randomUUID().toString(),
                "type", "COUPON_PUBLISHED", "occurredAt", now.toString(), "payload", payload));
    }

    /** What GreenMail received for the address, as its HTTP API answers. */
    private static String mails(String mailApiUrl, String address) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(mailApiUrl + "/api/user/" + address + "/messages/")).timeout(Duration.ofSeconds(10))
                        .GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? response.body() : "";
    }
}
