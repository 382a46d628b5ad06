package dev.couponhub.notification.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.kit.messaging.EventMessages;
import org.junit.jupiter.api.Test;

class SortedEventsTests {

    static final String CLAIMED_PAYLOAD = """
            {"issuedCouponId": 99, "couponId": 11, "storeId": 5, "storeName": "준커피", "couponName": "라떼",
             "userId": %d, "issuedAt": "2026-11-21T00:00:00Z", "expiresAt": "2026-12-01T03:00:00Z"}""";
    static final String PUBLISHED_PAYLOAD = """
            {"couponId": 11, "storeId": %d, "storeName": "준커피", "couponName": "아메리카노 할인",
             "discountType": "FIXED", "discountValue": 1500, "totalQuantity": 100,
             "issueStartsAt": "2026-11-21T00:00:00Z", "issueEndsAt": "2026-11-22T15:00:00Z"}""";

    private final AlertTexts texts = new AlertTexts(ZoneId.of("Asia/Seoul"));
    private final ObjectMapper json = new ObjectMapper();

    static String event(String eventId, String type, String payload) {
        return "{\"eventId\": \"" + eventId + "\", \"type\": \"" + type + "\", \"occurredAt\": "
                + "\"2026-11-21T00:00:00Z\", \"payload\": " + payload + "}";
    }

    private SortedEvents sort(String... events) {
        List<JsonNode> nodes = EventMessages.read(json, "[" + String.join(",", events) + "]");
        return SortedEvents.of(nodes, texts);
    }

    @Test
    void goodEventsOfEveryKindThenAlertsInTheirOrderAndNothingRefused() {
        SortedEvents sorted = sort(
                event("e-1", "COUPON_CLAIMED", CLAIMED_PAYLOAD.formatted(3)),
                event("e-2", "COUPON_PUBLISHED", PUBLISHED_PAYLOAD.formatted(5)),
                event("e-3", "COUPON_EXPIRING", CLAIMED_PAYLOAD.formatted(4)),
                event("e-4", "COUPON_EXPIRED", CLAIMED_PAYLOAD.formatted(4)),
                event("e-5", "COUPON_REDEEMED", CLAIMED_PAYLOAD.formatted(3).replace("}",
                        ", \"orderId\": \"A-1\", \"orderAmount\": 20000, \"discountAmount\": 3000}")));

        assertThat(sorted.holderAlerts()).extracting(Alert::eventId, Alert::userId, alert -> alert.content().type())
                .containsExactly(tuple("e-1", 3L, AlertType.COUPON_CLAIMED),
                        tuple("e-3", 4L, AlertType.COUPON_EXPIRING),
                        tuple("e-5", 3L, AlertType.COUPON_REDEEMED));
        assertThat(sorted.publications()).singleElement().satisfies(publication -> {
            assertThat(publication.eventId()).isEqualTo("e-2");
            assertThat(publication.storeId()).isEqualTo(5);
            assertThat(publication.content().title()).isEqualTo("준커피에서 새 쿠폰을 발행했어요");
        });
        assertThat(sorted.ignored()).isEqualTo(1);
        assertThat(sorted.refused()).isEmpty();
    }

    @Test
    void badEventsThenEachRefusedAloneWithAReasonAndTheGoodOnesKept() throws Exception {
        String withoutUser = event("bad-user", "COUPON_CLAIMED", CLAIMED_PAYLOAD.formatted(3)
                .replace("\"userId\": 3,", ""));
        String negativeUser = event("bad-negative", "COUPON_REDEEMED", CLAIMED_PAYLOAD.formatted(-3));
        String withoutStore = event("bad-store", "COUPON_PUBLISHED", PUBLISHED_PAYLOAD.formatted(5)
                .replace("\"storeId\": 5,", ""));
        String badTime = event("bad-time", "COUPON_EXPIRING", CLAIMED_PAYLOAD.formatted(3)
                .replace("2026-12-01T03:00:00Z", "tomorrow"));
        String withoutId = "{\"type\": \"COUPON_CLAIMED\", \"payload\": " + CLAIMED_PAYLOAD.formatted(3) + "}";
        String longId = event("x".repeat(65), "COUPON_CLAIMED", CLAIMED_PAYLOAD.formatted(3));
        String numericId = "{\"eventId\": 42, \"type\": \"COUPON_CLAIMED\", \"payload\": "
                + CLAIMED_PAYLOAD.formatted(3) + "}";
        String withoutType = "{\"eventId\": \"bad-type\", \"payload\": {}}";

        SortedEvents sorted = sort(event("good-1", "COUPON_CLAIMED", CLAIMED_PAYLOAD.formatted(7)), withoutUser,
                negativeUser, "\"just text\"", withoutStore, "[1, 2]", badTime, withoutId, longId, numericId,
                withoutType, event("good-2", "COUPON_PUBLISHED", PUBLISHED_PAYLOAD.formatted(8)), "null");

        assertThat(sorted.holderAlerts()).extracting(Alert::eventId).containsExactly("good-1");
        assertThat(sorted.publications()).extracting(SortedEvents.Publication::eventId).containsExactly("good-2");
        assertThat(sorted.refused()).extracting(SortedEvents.Refused::eventId, SortedEvents.Refused::reason)
                .containsExactly(
                        tuple("bad-user", "payload lacks a positive userId"),
                        tuple("bad-negative", "payload lacks a positive userId"),
                        tuple(null, "not a JSON object"),
                        tuple("bad-store", "payload lacks a positive storeId"),
                        tuple(null, "not a JSON object"),
                        tuple("bad-time", "expiresAt is not an ISO-8601 instant"),
                        tuple(null, "without a valid eventId"),
                        tuple(null, "without a valid eventId"),
                        tuple(null, "without a valid eventId"),
                        tuple("bad-type", "without a type"),
                        tuple(null, "not a JSON object"));
        // each refused event is the element as it came, to be dead-lettered on its own
        assertThat(sorted.refused().get(0).event()).isEqualTo(json.readTree(withoutUser));
        assertThat(sorted.refused().get(2).event().asText()).isEqualTo("just text");
        assertThat(sorted.ignored()).isZero();
    }
}
