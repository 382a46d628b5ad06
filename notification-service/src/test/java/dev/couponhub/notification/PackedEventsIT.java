package dev.couponhub.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.kit.messaging.EventMessages;
import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.Test;

/**
 * Several events in one SQS message, as coupon-service's relay packs them (a JSON array): every good event alerts its
 * recipient once and is mailed, the one bad event alone goes to the dead-letter queue, and a redelivery of the same
 * message creates nothing more.
 */
class PackedEventsIT extends NotificationItSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void messageOfSeveralEventsWithOneBadThenOnlyTheBadOneDeadLetteredEveryOtherAlertedOnceAndRedeliveryAddsNothing()
            throws Exception {
        String storeName = "묶음매장 " + token();
        long storeId = stores.addStore(storeName);
        long follower = newUserId();
        subscribe(follower, storeId);
        long claimer = newUserId();
        long holder = newUserId();
        long redeemer = newUserId();
        long secondClaimer = newUserId();
        // the title each good recipient's alert and mail must carry
        Map<Long, String> titles = new LinkedHashMap<>();
        titles.put(claimer, "묶음 라떼 쿠폰이 발급되었어요");
        titles.put(holder, "묶음 모카 쿠폰이 곧 만료돼요");
        titles.put(redeemer, "라떼 쿠폰 쿠폰을 사용했어요");
        titles.put(secondClaimer, "묶음 녹차 쿠폰이 발급되었어요");
        titles.put(follower, storeName + "에서 새 쿠폰을 발행했어요");
        Map<String, Object> withoutUser = new HashMap<>(claimed(claimer, 9702, "주인 없는 쿠폰"));
        withoutUser.remove("userId");
        String badId = UUID.randomUUID().toString();
        String bad = event(badId, "COUPON_CLAIMED", withoutUser);
        List<String> events = List.of(
                event(UUID.randomUUID().toString(), "COUPON_CLAIMED", claimed(claimer, 9701, "묶음 라떼")),
                event(UUID.randomUUID().toString(), "COUPON_EXPIRING", claimed(holder, 9703, "묶음 모카")),
                bad,
                event(UUID.randomUUID().toString(), "COUPON_REDEEMED", redeemed(redeemer)),
                event(UUID.randomUUID().toString(), "COUPON_PUBLISHED", published(storeId, storeName, 9704, "묶음 쿠폰")),
                event(UUID.randomUUID().toString(), "COUPON_EXPIRED", claimed(holder, 9705, "끝난 쿠폰")),
                event(UUID.randomUUID().toString(), "COUPON_CLAIMED", claimed(secondClaimer, 9706, "묶음 녹차")));
        Set<String> eventIds = Set.copyOf(events.stream().map(this::eventId).toList());
        String message = EventMessages.pack(events);
        assertThat(message).startsWith("[");

        send(message);

        titles.forEach((user, title) -> await().atMost(WAIT)
                .untilAsserted(() -> assertThat(inbox(user).path("content")).hasSize(1)));
        await().atMost(WAIT).until(NotificationItSupport::queueIsIdle);
        assertThat(ours(drainDeadLetters(), eventIds)).containsExactly(ApiClient.JSON.readTree(bad));
        titles.forEach((user, title) -> {
            JsonNode alert = inbox(user).path("content").get(0);
            assertThat(alert.path("title").asText()).isEqualTo(title);
            assertThat(inbox(user).path("totalElements").asLong()).isEqualTo(1);
            await().atMost(WAIT).untilAsserted(() -> assertThat(allMailed(user)).isTrue());
            assertThat(mails(FakeUserService.email(user))).singleElement()
                    .satisfies(mail -> assertThat(mail.path("subject").asText()).isEqualTo(title));
        });

        send(message); // redelivered: the same body again

        await().atMost(WAIT).until(NotificationItSupport::queueIsIdle);
        // the bad event goes to the dead-letter queue again (at least once); none of its neighbours does
        assertThat(ours(drainDeadLetters(), eventIds)).containsExactly(ApiClient.JSON.readTree(bad));
        titles.forEach((user, title) -> {
            assertThat(inbox(user).path("totalElements").asLong()).isEqualTo(1);
            // the repeat made the recipient's mail due; the sender found nothing new to mail
            await().atMost(WAIT).until(() -> allMailed(user));
            assertThat(mails(FakeUserService.email(user))).hasSize(1);
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notifications WHERE event_id = ?", Long.class, badId))
                .isZero();
    }

    /** The dead letters that came from this test's message. */
    private List<JsonNode> ours(List<String> deadLetters, Set<String> eventIds) {
        return deadLetters.stream().map(body -> {
            try {
                return ApiClient.JSON.readTree(body);
            } catch (Exception e) {
                return null; // another test's unreadable message
            }
        }).filter(node -> node != null && eventIds.contains(node.path("eventId").asText())).toList();
    }

    private String eventId(String event) {
        try {
            return ApiClient.JSON.readTree(event).path("eventId").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
