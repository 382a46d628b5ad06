package dev.couponhub.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.devstack.Component;
import dev.couponhub.devstack.Devstack;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.ProblemAssertions;
import dev.couponhub.testsupport.Queues;
import dev.couponhub.testsupport.TcpProxy;
import dev.couponhub.testsupport.TestDevstack;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Base of the ITs: the whole service on a random port against a real MariaDB, Redis, SQS (ElasticMQ) and SMTP
 * (GreenMail) from the devstack; store-service and user-service are played by in-process gRPC fakes. The mail server
 * is reached through {@link #SMTP}, a proxy that a test may switch off and on. Every IT class extending this one
 * shares one Spring context.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "grpc.client.store-service.address=in-process:" + FakeStoreService.NAME,
        "grpc.client.user-service.address=in-process:" + FakeUserService.NAME,
        "grpc.client.coupon-service.address=in-process:" + FakeCouponService.NAME,
        "couponhub.clients.coupons.deadline=3s",
        // the fastest the API allows (at most about 4 stock events a second), which StockStreamIT checks
        "couponhub.notification.stock.interval=250ms",
        "couponhub.notification.sse.heartbeat=1s",
        // run by WarmUpIT on demand, not at every context start
        "couponhub.notification.warm-up.enabled=false",
        // generous deadlines: the first call on a cold in-process channel of a busy test JVM can be slow
        "couponhub.clients.stores.deadline=3s",
        "couponhub.clients.users.deadline=3s",
        "couponhub.sqs.retry.first-delay=1s", "couponhub.sqs.retry.max-delay=1s",
        "couponhub.notification.mail.interval=100ms",
        "couponhub.notification.mail.initial-backoff=300ms",
        "couponhub.notification.mail.max-backoff=1s",
        // short, so that a test sees gathered mails; long enough that alerts sent right after a mail meet it open
        "couponhub.notification.mail.gather-window=" + NotificationItSupport.GATHER_WINDOW_SECONDS + "s",
})
public abstract class NotificationItSupport {

    protected static final String QUEUE = "coupon-events-notification";
    protected static final int GATHER_WINDOW_SECONDS = 5;
    protected static final String SUBSCRIPTIONS = "/api/v1/subscriptions";
    protected static final String NOTIFICATIONS = "/api/v1/notifications";

    static {
        // the fakes start their in-process servers when their classes load: before any context calls them
        FakeStoreService.instance();
        FakeUserService.instance();
        FakeCouponService.instance();
    }

    /** The mail server as the service sees it; a test that switches it off switches it on again. */
    protected static final TcpProxy SMTP = startSmtpProxy();

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "notification", Component.MARIADB, Component.REDIS, Component.SQS,
                Component.SMTP);
        registry.add("spring.mail.port", SMTP::port);
    }

    private static TcpProxy startSmtpProxy() {
        TcpProxy proxy = new TcpProxy(TestDevstack.start(Component.SMTP).smtpPort());
        try {
            proxy.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return proxy;
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Value("${couponhub.test.mail-api-url}")
    protected String mailApiUrl;

    protected ApiClient api;
    protected final FakeStoreService stores = FakeStoreService.instance();
    private final List<Disposable> streams = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @AfterEach
    void closeStreams() {
        streams.forEach(Disposable::dispose);
        streams.clear();
    }

    protected static long newUserId() {
        return ThreadLocalRandom.current().nextLong(1_000_000L, FakeUserService.CLOSED_FROM / 2);
    }

    protected static String[] as(long userId) {
        return new String[] {"X-User-Id", Long.toString(userId), "X-User-Role", "SHOPPER"};
    }

    protected static String token() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    // ---------------------------------------------------------------- events

    protected static String event(String eventId, String type, Map<String, Object> payload) {
        Map<String, Object> event = Map.of("eventId", eventId, "type", type, "occurredAt", Instant.now().toString(),
                "payload", payload);
        try {
            return ApiClient.JSON.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected static Map<String, Object> published(long storeId, String storeName, long couponId, String couponName) {
        Map<String, Object> payload = new HashMap<>();
        payload.put("couponId", couponId);
        payload.put("storeId", storeId);
        payload.put("storeName", storeName);
        payload.put("couponName", couponName);
        payload.put("discountType", "FIXED");
        payload.put("discountValue", 1000);
        payload.put("totalQuantity", 100);
        payload.put("issueStartsAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        payload.put("issueEndsAt", Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString());
        return payload;
    }

    protected static Map<String, Object> claimed(long userId, long issuedCouponId, String couponName) {
        Map<String, Object> payload = new HashMap<>();
        payload.put("issuedCouponId", issuedCouponId);
        payload.put("couponId", 77);
        payload.put("storeId", 5);
        payload.put("storeName", "준커피");
        payload.put("couponName", couponName);
        payload.put("userId", userId);
        payload.put("issuedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        payload.put("expiresAt", Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString());
        return payload;
    }

    protected static Map<String, Object> redeemed(long user) {
        return Map.of("issuedCouponId", 9399, "couponId", 77, "storeId", 5, "storeName", "준커피", "couponName",
                "라떼 쿠폰", "userId", user, "orderId", "order-1", "orderAmount", 12_000, "discountAmount", 2000,
                "redeemedAt", "2026-11-21T09:00:00Z");
    }

    protected static void send(String body) {
        try (Queues queues = new Queues()) {
            queues.send(QUEUE, body);
        }
    }

    /** No message waiting or being handled on the events queue. */
    protected static boolean queueIsIdle() {
        try (SqsClient sqs = sqs()) {
            String url = sqs.getQueueUrl(r -> r.queueName(QUEUE)).queueUrl();
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            return "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    && "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        }
    }

    /** Receives (and deletes) every message now in the events queue's dead-letter queue; answers their bodies. */
    protected static List<String> drainDeadLetters() {
        try (SqsClient sqs = sqs()) {
            String dlq = sqs.getQueueUrl(r -> r.queueName(QUEUE + "-dlq")).queueUrl();
            List<String> bodies = new ArrayList<>();
            while (true) {
                List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10)
                        .waitTimeSeconds(1)).messages();
                if (messages.isEmpty()) {
                    return bodies;
                }
                for (Message message : messages) {
                    bodies.add(message.body());
                    sqs.deleteMessage(r -> r.queueUrl(dlq).receiptHandle(message.receiptHandle()));
                }
            }
        }
    }

    protected static SqsClient sqs() {
        return SqsClient.builder().endpointOverride(URI.create(Queues.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    // ---------------------------------------------------------------- inbox

    protected JsonNode inbox(long userId) {
        ApiClient.Response response = api.get(NOTIFICATIONS + "?size=100", as(userId));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    protected long subscribe(long userId, long storeId) {
        ApiClient.Response response = api.post(SUBSCRIPTIONS, Map.of("storeId", storeId), as(userId));
        assertThat(response.status()).as(response.toString()).isIn(200, 201);
        return storeId;
    }

    // ---------------------------------------------------------------- stream

    /** Every event and comment the stream delivers, as they arrive. */
    protected List<ServerSentEvent<String>> openStream(int port, long userId, String lastEventId) {
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        WebClient.RequestHeadersSpec<?> request = WebClient.create("http://127.0.0.1:" + port).get()
                .uri(NOTIFICATIONS + "/stream")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .header("X-User-Id", Long.toString(userId))
                .header("X-User-Role", "SHOPPER");
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        Disposable stream = request.retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .subscribe(received::add, error -> { });
        streams.add(stream);
        return received;
    }

    protected static boolean connected(List<ServerSentEvent<String>> received) {
        return received.stream().anyMatch(e -> "connected".equals(e.comment()));
    }

    protected static List<ServerSentEvent<String>> events(List<ServerSentEvent<String>> received) {
        return received.stream().filter(e -> e.event() != null).toList();
    }

    // ---------------------------------------------------------------- mail

    /**
     * Whether every alert of the user has been mailed (or skipped) and no mail of theirs is due: their mail queue row
     * ({@code mail_recipients}) is past their newest alert.
     */
    protected boolean allMailed(long user) {
        Long waiting = jdbc.queryForObject("SELECT COUNT(*) FROM notifications n "
                + "LEFT JOIN mail_recipients r ON r.user_id = n.user_id WHERE n.user_id = ? "
                + "AND (r.user_id IS NULL OR n.id > r.mailed_through OR r.mail_due_at IS NOT NULL)", Long.class, user);
        return waiting != null && waiting == 0;
    }

    /** Whether the recipient's mail is queued: due, leased, or already sent (their alerts mailed). */
    protected boolean queued(long userId) {
        return dueAt(userId) != null || allMailed(userId);
    }

    /** When the recipient's next mail is due ({@code null}: none due, or no mail queue row at all). */
    protected LocalDateTime dueAt(long userId) {
        List<LocalDateTime> due = jdbc.queryForList("SELECT mail_due_at FROM mail_recipients WHERE user_id = ?",
                LocalDateTime.class, userId);
        return due.isEmpty() ? null : due.get(0);
    }

    /** Each of the alerts {@code <title>0번} to {@code <title>(count-1)번} appears in exactly one of the mails. */
    protected static void assertEachAlertMailedOnce(List<JsonNode> mails, String title, int count) {
        Map<String, Integer> seen = new HashMap<>();
        Pattern alert = Pattern.compile(Pattern.quote(title) + "\\d+번");
        for (JsonNode mail : mails) {
            Matcher matcher = alert.matcher(mailText(mail)); // a mail names each of its alerts once
            while (matcher.find()) {
                seen.merge(matcher.group(), 1, Integer::sum);
            }
        }
        assertThat(seen).hasSize(count);
        assertThat(seen.values()).as("alerts mailed more than once").containsOnly(1);
    }

    /** The mails GreenMail received for the address. */
    protected JsonNode mails(String address) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(mailApiUrl + "/api/user/" + address + "/messages/")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404 || response.statusCode() == 400) { // GreenMail: "user not found"
                return ApiClient.JSON.createArrayNode();
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return ApiClient.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The plain-text part of a mail GreenMail received (from its raw {@code mimeMessage}). */
    protected static String mailText(JsonNode mail) {
        try {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(mail.path("mimeMessage").asText().getBytes(StandardCharsets.UTF_8)));
            MimeMultipart parts = (MimeMultipart) message.getContent();
            for (int i = 0; i < parts.getCount(); i++) {
                if (parts.getBodyPart(i).isMimeType("text/plain")) {
                    return (String) parts.getBodyPart(i).getContent();
                }
            }
            throw new AssertionError("the mail has no plain-text part");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static Devstack devstack() {
        return TestDevstack.start(Component.MARIADB, Component.REDIS, Component.SQS, Component.SMTP);
    }

    protected static JsonNode assertProblem(ApiClient.Response response, int status, String code, String path) {
        return ProblemAssertions.assertProblem(response, status, code, path);
    }
}
