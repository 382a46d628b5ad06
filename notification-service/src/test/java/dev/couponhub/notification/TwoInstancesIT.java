package dev.couponhub.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.couponhub.devstack.Devstack;
import dev.couponhub.notification.stream.StreamWarmUp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.codec.ServerSentEvent;

/**
 * Two instances on the same database and Redis: instance A (the shared test context) consumes the events, instance B
 * (a second Spring context, its SQS listener and mail sender off) holds the stream. The alert still reaches it. A
 * user's streams count over both instances: a sixth closes the oldest, wherever it is.
 */
class TwoInstancesIT extends NotificationItSupport {

    private static ConfigurableApplicationContext instanceB;

    @BeforeAll
    static void startInstanceB() {
        Devstack stack = devstack();
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("spring.datasource.url", stack.jdbcUrl("notification_db"));
        properties.put("spring.datasource.username", stack.dbUser("notification"));
        properties.put("spring.datasource.password", stack.dbPassword("notification"));
        properties.put("spring.data.redis.host", "127.0.0.1");
        properties.put("spring.data.redis.port", stack.redisPort());
        properties.put("spring.cloud.aws.sqs.endpoint", stack.sqsEndpoint());
        properties.put("spring.cloud.aws.region.static", "us-east-1");
        properties.put("spring.cloud.aws.credentials.access-key", "local");
        properties.put("spring.cloud.aws.credentials.secret-key", "local");
        properties.put("spring.mail.host", "127.0.0.1");
        properties.put("spring.mail.port", stack.smtpPort());
        properties.put("grpc.client.store-service.address", "in-process:" + FakeStoreService.NAME);
        properties.put("grpc.client.user-service.address", "in-process:" + FakeUserService.NAME);
        properties.put("couponhub.notification.listener-enabled", false);
        properties.put("couponhub.notification.mail.enabled", false);
        properties.put("spring.jmx.enabled", false);
        // the warm-up once ready (off on the first instance), small
        properties.put("couponhub.notification.warm-up.enabled", true);
        properties.put("couponhub.notification.warm-up.streams", 10);
        properties.put("couponhub.notification.warm-up.events-per-stream", 20);
        properties.put("couponhub.notification.warm-up.pages", 1);
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        instanceB = new SpringApplicationBuilder(NotificationServiceApplication.class).run(args);
    }

    @AfterAll
    static void stopInstanceB() {
        if (instanceB != null) {
            instanceB.close();
        }
    }

    @Test
    void instanceWarmsItsStreamsUpOnceReady() {
        StreamWarmUp warmUp = instanceB.getBean(StreamWarmUp.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> warmUp.last() != null);
        assertThat(warmUp.last().received()).isEqualTo(10 * 20);
        assertThat(warmUp.last().streams()).isEqualTo(10);
    }

    @Test
    void eventConsumedByOneInstanceReachesTheStreamHeldByTheOther() {
        int portB = ((WebServerApplicationContext) instanceB).getWebServer().getPort();
        assertThat(portB).isNotEqualTo(port);
        String storeName = "둘째매장 " + token();
        long storeId = stores.addStore(storeName);
        long user = newUserId();
        subscribe(user, storeId);
        List<ServerSentEvent<String>> onB = openStream(portB, user, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> connected(onB));

        send(event(UUID.randomUUID().toString(), "COUPON_PUBLISHED", published(storeId, storeName, 701, "둘째 쿠폰")));

        await().atMost(Duration.ofSeconds(20)).until(() -> !events(onB).isEmpty());
        ServerSentEvent<String> event = events(onB).get(0);
        assertThat(event.event()).isEqualTo("COUPON_PUBLISHED");
        assertThat(event.id()).isEqualTo(inbox(user).path("content").get(0).path("id").asText());
    }

    @Test
    void sixthStreamOfAUserOpensOnEitherInstanceThenTheOldestClosesWhereverItIsAndFiveStillGetAlerts() {
        int portB = ((WebServerApplicationContext) instanceB).getWebServer().getPort();
        long user = newUserId();
        List<List<ServerSentEvent<String>>> streams = new ArrayList<>();
        for (int i = 0; i < 5; i++) { // 3 on this instance, 2 on B, one after the other
            List<ServerSentEvent<String>> stream = openStream(i < 3 ? port : portB, user, null);
            await().atMost(Duration.ofSeconds(20)).until(() -> connected(stream));
            streams.add(stream);
        }
        // five are allowed: none closes
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> streams.stream().allMatch(stream -> events(stream).isEmpty()));

        List<ServerSentEvent<String>> sixth = openStream(portB, user, null); // on B: the oldest is on this instance
        await().atMost(Duration.ofSeconds(20)).until(() -> connected(sixth));
        streams.add(sixth);

        await().atMost(Duration.ofSeconds(10)).until(() -> !events(streams.get(0)).isEmpty());
        ServerSentEvent<String> closed = events(streams.get(0)).get(0);
        assertThat(closed.event()).isEqualTo("closed");
        assertThat(closed.data()).contains("TOO_MANY_STREAMS");

        // the other five are open: each gets the next alert, and the closed one nothing more
        send(event(UUID.randomUUID().toString(), "COUPON_CLAIMED", claimed(user, 7001, "다섯 곳")));
        for (List<ServerSentEvent<String>> open : streams.subList(1, 6)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> events(open).stream()
                    .anyMatch(event -> "COUPON_CLAIMED".equals(event.event())));
        }
        assertThat(events(streams.get(0))).hasSize(1);
        assertThat(streams.subList(1, 6)).allSatisfy(open -> assertThat(events(open))
                .noneMatch(event -> "closed".equals(event.event())));
    }
}
