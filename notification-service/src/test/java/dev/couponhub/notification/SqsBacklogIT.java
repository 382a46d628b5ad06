package dev.couponhub.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.couponhub.devstack.Component;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.Queues;
import dev.couponhub.testsupport.TcpProxy;
import dev.couponhub.testsupport.TestDevstack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The backlog gauge {@code couponhub_sqs_messages} of the consumed queue and its dead-letter queue, read from the real
 * SQS (ElasticMQ) through a proxy that a test switches off: SQS down. The context starts while the proxy is still off,
 * so the queue URLs are resolved only on a later try. The listener is off: messages stay in the queue.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "couponhub.notification.listener-enabled=false",
        "couponhub.notification.mail.enabled=false",
        "grpc.client.store-service.address=in-process:" + FakeStoreService.NAME,
        "grpc.client.user-service.address=in-process:" + FakeUserService.NAME,
        "couponhub.sqs.backlog.interval=200ms",
        "couponhub.sqs.backlog.timeout=1s",
})
class SqsBacklogIT {

    private static final String QUEUE = "backlog-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String DLQ = QUEUE + "-dlq";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** SQS as the service sees it; off until the first test starts. */
    private static final TcpProxy SQS = new TcpProxy(Queues.port());

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "notification", Component.MARIADB, Component.REDIS, Component.SQS,
                Component.SMTP);
        registry.add("spring.cloud.aws.sqs.endpoint", () -> "http://127.0.0.1:" + SQS.port());
        registry.add("couponhub.notification.events-queue", () -> QUEUE);
        try (SqsClient sqs = client()) {
            sqs.createQueue(request -> request.queueName(DLQ));
            sqs.createQueue(request -> request.queueName(QUEUE));
        }
    }

    @AfterAll
    static void closeProxy() {
        SQS.close();
    }

    @LocalServerPort
    int port;

    ApiClient api;

    @BeforeEach
    void sqsUp() throws IOException {
        api = new ApiClient(port);
        SQS.start();
    }

    @Test
    void messagesWaitingInFlightAndDeadLetteredThenTheGaugeShowsEachQueue() {
        try (SqsClient sqs = client()) {
            String url = sqs.getQueueUrl(request -> request.queueName(QUEUE)).queueUrl();
            String dlqUrl = sqs.getQueueUrl(request -> request.queueName(DLQ)).queueUrl();
            for (int i = 0; i < 7; i++) {
                String body = "{\"n\":" + i + "}";
                sqs.sendMessage(request -> request.queueUrl(url).messageBody(body));
            }
            for (int i = 0; i < 3; i++) {
                String body = "{\"dead\":" + i + "}";
                sqs.sendMessage(request -> request.queueUrl(dlqUrl).messageBody(body));
            }
            int received = 0;
            while (received < 2) { // received and not deleted: in flight for the next five minutes
                int wanted = 2 - received;
                received += sqs.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(wanted)
                        .visibilityTimeout(300).waitTimeSeconds(1)).messages().size();
            }
        }

        await().atMost(WAIT).untilAsserted(() -> {
            String metrics = prometheus();
            assertThat(gauge(metrics, QUEUE, "visible")).contains(5.0);
            assertThat(gauge(metrics, QUEUE, "in_flight")).contains(2.0);
            assertThat(gauge(metrics, DLQ, "visible")).contains(3.0);
            assertThat(gauge(metrics, DLQ, "in_flight")).contains(0.0);
        });
    }

    @Test
    void sqsUnreachableThenTheServiceStaysHealthyAndTheGaugeShowsNoValueUntilSqsIsBack() throws IOException {
        await().atMost(WAIT).untilAsserted(() -> assertThat(gauge(prometheus(), QUEUE, "visible"))
                .hasValueSatisfying(value -> assertThat(value).isNotNaN()));

        SQS.stop();
        try {
            await().atMost(WAIT).untilAsserted(() -> {
                String metrics = prometheus();
                assertThat(gauge(metrics, QUEUE, "visible")).hasValueSatisfying(v -> assertThat(v).isNaN());
                assertThat(gauge(metrics, DLQ, "visible")).hasValueSatisfying(v -> assertThat(v).isNaN());
            });
            ApiClient.Response health = api.get("/actuator/health");
            assertThat(health.status()).as(health.toString()).isEqualTo(200);
            assertThat(health.json().path("status").asText()).isEqualTo("UP");
            assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
        } finally {
            SQS.start();
        }

        await().atMost(WAIT).untilAsserted(() -> {
            String metrics = prometheus();
            assertThat(gauge(metrics, QUEUE, "visible")).hasValueSatisfying(v -> assertThat(v).isNotNaN());
            assertThat(gauge(metrics, DLQ, "visible")).hasValueSatisfying(v -> assertThat(v).isNotNaN());
        });
    }

    private String prometheus() {
        ApiClient.Response response = api.get("/actuator/prometheus");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.body();
    }

    /** The value of {@code couponhub_sqs_messages{queue, state}}, if the scrape has that series. */
    static Optional<Double> gauge(String metrics, String queue, String state) {
        Pattern line = Pattern.compile("^couponhub_sqs_messages\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
        Matcher matcher = line.matcher(metrics);
        while (matcher.find()) {
            String labels = matcher.group(1);
            if (labels.contains("queue=\"" + queue + "\"") && labels.contains("state=\"" + state + "\"")) {
                return Optional.of(Double.parseDouble(matcher.group(2)));
            }
        }
        return Optional.empty();
    }

    private static SqsClient client() {
        return SqsClient.builder()
                .endpointOverride(URI.create(Queues.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }
}
