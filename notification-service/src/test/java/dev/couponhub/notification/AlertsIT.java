package dev.couponhub.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.kit.messaging.DeadLetters;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Coupon events on the real SQS queue become inbox rows, stream events and mails. */
class AlertsIT extends NotificationItSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void publishedThenEverySubscriberGetsAnAlertTheConnectedOneLiveAndEachAMail() throws Exception {
        String storeName = "준커피 " + token();
        long storeId = stores.addStore(storeName);
        List<Long> users = List.of(newUserId(), newUserId(), newUserId());
        users.forEach(user -> subscribe(user, storeId));
        long bystander = newUserId();
        List<ServerSentEvent<String>> stream = openStream(port, users.get(0), null);
        await().atMost(WAIT).until(() -> connected(stream));

        send(event(UUID.randomUUID().toString(), "COUPON_PUBLISHED",
                published(storeId, storeName, 501, "아메리카노 1,000원 할인")));

        String title = storeName + "에서 새 쿠폰을 발행했어요";
        for (long user : users) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(inbox(user).path("content")).hasSize(1));
            JsonNode alert = inbox(user).path("content").get(0);
            assertThat(alert.path("type").asText()).isEqualTo("COUPON_PUBLISHED");
            assertThat(alert.path("title").asText()).isEqualTo(title);
            assertThat(alert.path("body").asText()).contains("아메리카노 1,000원 할인").contains("1,000원");
            assertThat(alert.path("data").path("couponId").asLong()).isEqualTo(501);
            assertThat(alert.path("data").path("storeId").asLong()).isEqualTo(storeId);
            assertThat(alert.path("readAt").isNull()).isTrue();
        }
        assertThat(inbox(bystander).path("totalElements").asLong()).isZero();

        await().atMost(WAIT).until(() -> !events(stream).isEmpty());
        ServerSentEvent<String> live = events(stream).get(0);
        JsonNode first = inbox(users.get(0)).path("content").get(0);
        assertThat(live.event()).isEqualTo("COUPON_PUBLISHED");
        assertThat(live.id()).isEqualTo(first.path("id").asText());
        JsonNode data = ApiClient.JSON.readTree(live.data());
        assertThat(data.path("title").asText()).isEqualTo(title);
        assertThat(data.path("data").path("storeId").asLong()).isEqualTo(storeId);

        for (long user : users) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(mails(FakeUserService.email(user))).hasSize(1));
            assertThat(mails(FakeUserService.email(user)).get(0).path("subject").asText()).isEqualTo(title);
        }
    }

    @Test
    void couponOpenedThenEverySubscriberOfTheStoreGetsOneOpenedAlertAndOthersNone() {
        String storeName = "여는매장 " + token();
        long storeId = stores.addStore(storeName);
        long first = newUserId();
        long second = newUserId();
        long stranger = newUserId();
        subscribe(first, storeId);
        subscribe(second, storeId);
        String opened = event(UUID.randomUUID().toString(), "COUPON_OPENED", published(storeId, storeName, 811,
                "아침 쿠폰"));

        send(opened);
        send(opened); // at least once: a repeat alerts nobody twice

        for (long user : new long[] {first, second}) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(inbox(user).path("content")).hasSize(1));
        }
        await().atMost(WAIT).until(NotificationItSupport::queueIsIdle);
        for (long user : new long[] {first, second}) {
            JsonNode alert = inbox(user).path("content").get(0);
            assertThat(inbox(user).path("totalElements").asLong()).isEqualTo(1);
            assertThat(alert.path("type").asText()).isEqualTo("COUPON_OPENED");
            assertThat(alert.path("title").asText()).isEqualTo(storeName + "의 아침 쿠폰 쿠폰을 지금 받을 수 있어요");
            assertThat(alert.path("body").asText()).startsWith("1,000원 할인 쿠폰이 열렸어요.");
            assertThat(alert.path("data").path("couponId").asLong()).isEqualTo(811);
            assertThat(alert.path("data").path("storeId").asLong()).isEqualTo(storeId);
        }
        assertThat(inbox(stranger).path("totalElements").asLong()).isZero();
    }

    @Test
    void couponGrantedThenTheRecipientGetsOneGrantedAlertWithTheCouponAndItsStore() {
        long user = newUserId();
        Map<String, Object> payload = new HashMap<>(claimed(user, 9301, "선물 쿠폰"));
        payload.put("storeId", 31);
        String granted = event(UUID.randomUUID().toString(), "COUPON_GRANTED", payload);

        send(granted);
        send(granted);

        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox(user).path("content")).hasSize(1));
        await().atMost(WAIT).until(NotificationItSupport::queueIsIdle);
        JsonNode alert = inbox(user).path("content").get(0);
        assertThat(inbox(user).path("totalElements").asLong()).isEqualTo(1);
        assertThat(alert.path("type").asText()).isEqualTo("COUPON_GRANTED");
        assertThat(alert.path("title").asText()).endsWith("에서 선물 쿠폰 쿠폰을 보냈어요");
        assertThat(alert.path("data").path("issuedCouponId").asLong()).isEqualTo(9301);
        assertThat(alert.path("data").path("couponId").asLong()).isEqualTo(77);
        assertThat(alert.path("data").path("storeId").asLong()).isEqualTo(31);
    }

    @Test
    void sameEventTwiceThenOneAlertAndOneMail() {
        long user = newUserId();
        String twice = event(UUID.randomUUID().toString(), "COUPON_CLAIMED", claimed(user, 9001, "라떼 쿠폰"));

        send(twice);
        send(twice);

        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox(user).path("content")).hasSize(1));
        await().atMost(WAIT).until(NotificationItSupport::queueIsIdle);
        await().atMost(WAIT).untilAsserted(() -> assertThat(allMailed(user)).isTrue());
        assertThat(inbox(user).path("totalElements").asLong()).isEqualTo(1);
        assertThat(mails(FakeUserService.email(user))).hasSize(1);
        JsonNode alert = inbox(user).path("content").get(0);
        assertThat(alert.path("title").asText()).isEqualTo("라떼 쿠폰 쿠폰이 발급되었어요");
        assertThat(alert.path("data").path("issuedCouponId").asLong()).isEqualTo(9001);
        assertThat(alert.path("data").path("couponId").asLong()).isEqualTo(77);
    }

    @Test
    void poisonMessageThenDeadLetteredWhileTheNextMessageStillAlerts() {
        String poison = "not json " + UUID.randomUUID();
        long user = newUserId();

        send(poison);
        send(event(UUID.randomUUID().toString(), "COUPON_CLAIMED", claimed(user, 9100, "모카 쿠폰")));

        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox(user).path("content")).hasSize(1));
        try (SqsClient sqs = sqs()) {
            String dlq = sqs.getQueueUrl(r -> r.queueName(QUEUE + "-dlq")).queueUrl();
            List<Message> deadLetters = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (Message message : sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10)
                        .waitTimeSeconds(1).messageAttributeNames("All")).messages()) {
                    deadLetters.add(message);
                    sqs.deleteMessage(r -> r.queueUrl(dlq).receiptHandle(message.receiptHandle()));
                }
                return deadLetters.stream().anyMatch(message -> message.body().equals(poison));
            });
            // moved by the service at once, with its reason (not by SQS after every retry)
            Message dead = deadLetters.stream().filter(message -> message.body().equals(poison)).findFirst()
                    .orElseThrow();
            assertThat(dead.messageAttributes().get(DeadLetters.REASON_ATTRIBUTE).stringValue()).contains("not JSON");
        }
    }

    @Test
    void otherEventTypesAreAcknowledgedAndIgnored() {
        long user = newUserId();
        send(event(UUID.randomUUID().toString(), "COUPON_EXPIRED", claimed(user, 9200, "끝난 쿠폰")));
        send(event(UUID.randomUUID().toString(), "COUPON_EXPIRING", claimed(user, 9201, "곧 끝날 쿠폰")));

        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox(user).path("content")).hasSize(1));
        await().atMost(WAIT).until(NotificationItSupport::queueIsIdle);
        JsonNode alert = inbox(user).path("content").get(0);
        assertThat(alert.path("type").asText()).isEqualTo("COUPON_EXPIRING");
        assertThat(alert.path("data").path("issuedCouponId").asLong()).isEqualTo(9201);
        assertThat(alert.path("data").path("expiresAt").asText()).isNotBlank();
        assertThat(inbox(user).path("totalElements").asLong()).isEqualTo(1);
    }

    @Test
    void reconnectWithLastEventIdThenMissedAlertsReplayedOldestFirstThenLive() throws Exception {
        long user = newUserId();
        for (int i = 1; i <= 3; i++) {
            send(event(UUID.randomUUID().toString(), "COUPON_CLAIMED", claimed(user, 9300 + i, "쿠폰" + i)));
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox(user).path("content")).hasSize(3));
        JsonNode content = inbox(user).path("content"); // newest first
        long oldest = content.get(2).path("id").asLong();

        List<ServerSentEvent<String>> stream = openStream(port, user, Long.toString(oldest));
        await().atMost(WAIT).until(() -> events(stream).size() == 2);
        assertThat(events(stream)).extracting(ServerSentEvent::id)
                .containsExactly(content.get(1).path("id").asText(), content.get(0).path("id").asText());

        send(event(UUID.randomUUID().toString(), "COUPON_REDEEMED", redeemed(user)));
        await().atMost(WAIT).until(() -> events(stream).size() == 3);
        ServerSentEvent<String> live = events(stream).get(2);
        assertThat(live.event()).isEqualTo("COUPON_REDEEMED");
        JsonNode data = ApiClient.JSON.readTree(live.data()).path("data");
        assertThat(data.path("orderId").asText()).isEqualTo("order-1");
        assertThat(data.path("discountAmount").asLong()).isEqualTo(2000);
    }

    @Test
    void idleStreamThenKeepAliveComments() {
        List<ServerSentEvent<String>> stream = openStream(port, newUserId(), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.stream()
                .filter(e -> "keep-alive".equals(e.comment())).count() >= 2);
    }

    @Test
    void inboxPagesReadAndReadAll() {
        long user = newUserId();
        for (int i = 1; i <= 3; i++) {
            send(event(UUID.randomUUID().toString(), "COUPON_CLAIMED", claimed(user, 9400 + i, "쿠폰" + i)));
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox(user).path("content")).hasSize(3));

        JsonNode page = api.get(NOTIFICATIONS + "?page=0&size=2", as(user)).json();
        assertThat(page.path("content")).hasSize(2);
        assertThat(page.path("page").asInt()).isZero();
        assertThat(page.path("size").asInt()).isEqualTo(2);
        assertThat(page.path("totalElements").asLong()).isEqualTo(3);
        assertThat(page.path("totalPages").asInt()).isEqualTo(2);
        long newest = page.path("content").get(0).path("id").asLong();
        assertThat(newest).isGreaterThan(page.path("content").get(1).path("id").asLong());

        JsonNode tooBig = assertProblem(api.get(NOTIFICATIONS + "?size=101", as(user)), 400, "VALIDATION_FAILED",
                NOTIFICATIONS);
        assertThat(tooBig.path("errors").get(0).path("field").asText()).isEqualTo("size");
        assertProblem(api.get(NOTIFICATIONS + "?size=0", as(user)), 400, "VALIDATION_FAILED", NOTIFICATIONS);
        assertProblem(api.get(NOTIFICATIONS + "?page=x", as(user)), 400, "VALIDATION_FAILED", NOTIFICATIONS);
        JsonNode tooDeep = assertProblem(api.get(NOTIFICATIONS + "?page=2147483647", as(user)), 400,
                "VALIDATION_FAILED", NOTIFICATIONS);
        assertThat(tooDeep.path("errors").get(0).path("field").asText()).isEqualTo("page");

        String read = NOTIFICATIONS + "/" + newest + "/read";
        assertThat(api.post(read, null, as(user)).status()).isEqualTo(204);
        assertThat(api.post(read, null, as(user)).status()).isEqualTo(204);
        assertProblem(api.post(read, null, as(newUserId())), 404, "NOT_FOUND", read);
        assertProblem(api.post(NOTIFICATIONS + "/987654321987/read", null, as(user)), 404, "NOT_FOUND",
                NOTIFICATIONS + "/987654321987/read");
        JsonNode unread = api.get(NOTIFICATIONS + "?unreadOnly=true", as(user)).json();
        assertThat(unread.path("totalElements").asLong()).isEqualTo(2);
        assertThat(inbox(user).path("content").get(0).path("readAt").asText()).isNotBlank();

        assertThat(api.post(NOTIFICATIONS + "/read-all", null, as(user)).status()).isEqualTo(204);
        assertThat(api.get(NOTIFICATIONS + "?unreadOnly=true", as(user)).json().path("totalElements").asLong())
                .isZero();
    }

    @Test
    void mailServerDownThenUpThenTheMailIsDeliveredExactlyOnce() {
        long user = newUserId();
        SMTP.stop();
        try {
            send(event(UUID.randomUUID().toString(), "COUPON_CLAIMED", claimed(user, 9500, "재시도 쿠폰")));
            await().atMost(WAIT).untilAsserted(() -> assertThat(jdbc.queryForList(
                    "SELECT attempts FROM mail_recipients WHERE user_id = ? AND attempts >= 2 "
                            + "AND mail_due_at IS NOT NULL",
                    Integer.class, user)).hasSize(1));
            assertThat(mails(FakeUserService.email(user))).isEmpty();
        } finally {
            restartSmtp();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(allMailed(user)).isTrue());
        assertThat(mails(FakeUserService.email(user))).hasSize(1);
        assertThat(mails(FakeUserService.email(user)).get(0).path("subject").asText())
                .isEqualTo("재시도 쿠폰 쿠폰이 발급되었어요");
    }

    @Test
    void fanOutToFiveThousandSubscribersThenExactlyOneAlertEachAndEveryOneQueuedForMail() {
        String storeName = "대형매장 " + token();
        long storeId = stores.addStore(storeName);
        long firstUser = FakeUserService.CLOSED_FROM + System.nanoTime() % 1_000_000_000L * 10_000;
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            rows.add(new Object[] {firstUser + i, storeId, storeName});
        }
        jdbc.batchUpdate("INSERT INTO subscriptions (user_id, store_id, store_name, created_at) "
                + "VALUES (?, ?, ?, UTC_TIMESTAMP(6))", rows);
        String eventId = UUID.randomUUID().toString();
        String published = event(eventId, "COUPON_PUBLISHED", published(storeId, storeName, 601, "대량 쿠폰"));

        send(published);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(count(
                "SELECT COUNT(*) FROM notifications WHERE event_id = ?", eventId)).isEqualTo(5000));
        send(published); // a repeat creates nothing
        await().atMost(WAIT).until(NotificationItSupport::queueIsIdle);

        assertThat(count("SELECT COUNT(*) FROM notifications WHERE event_id = ?", eventId)).isEqualTo(5000);
        assertThat(count("SELECT COUNT(DISTINCT user_id) FROM notifications WHERE event_id = ?", eventId))
                .isEqualTo(5000);
        // closed accounts (FakeUserService): each alert is taken off its recipient's mail queue without a mail
        await().atMost(WAIT).untilAsserted(() -> assertThat(count("SELECT COUNT(*) FROM notifications n "
                + "JOIN mail_recipients r ON r.user_id = n.user_id WHERE n.event_id = ? AND r.mailed_through >= n.id "
                + "AND r.mail_due_at IS NULL", eventId)).isEqualTo(5000));
    }

    private void restartSmtp() {
        try {
            SMTP.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long count(String sql, Object... args) {
        Long count = jdbc.queryForObject(sql, Long.class, args);
        return count == null ? 0 : count;
    }

}
