package dev.couponhub.batch.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Which elements of a message are events the ledger records, which it ignores, and why it refuses the others. */
class UsageEventTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void redemptionThenEveryColumnRead() throws Exception {
        UsageEvent event = UsageEvent.read(redemption()).orElseThrow();

        assertThat(event).isEqualTo(new UsageEvent("e-1", "COUPON_REDEEMED", UsageKind.REDEEMED,
                Instant.parse("2026-05-01T16:00:00Z"), 11, 22, "Coupon 11", 33L, "order-1", 500));
    }

    @Test
    void couponWideEventThenNoIssuedCouponNorOrder() throws Exception {
        ObjectNode published = JSON.createObjectNode().put("eventId", "e-2").put("type", "COUPON_PUBLISHED")
                .put("occurredAt", "2026-05-01T16:00:00Z");
        published.putObject("payload").put("couponId", 11).put("storeId", 22).put("couponName", "Coupon 11");

        UsageEvent event = UsageEvent.read(published).orElseThrow();

        assertThat(event.kind()).isEqualTo(UsageKind.NONE);
        assertThat(event.issuedCouponId()).isNull();
        assertThat(event.orderId()).isNull();
    }

    @Test
    void unknownTypeThenIgnoredWithoutLookingFurther() {
        ObjectNode unknown = JSON.createObjectNode().put("eventId", "e-3").put("type", "COUPON_SOMETHING_NEW");

        assertThat(UsageEvent.read(unknown)).isEmpty();
    }

    @Test
    void invalidElementsThenRefusedNamingTheField() throws Exception {
        assertRefused(JSON.readTree("\"a string\""), "not a JSON object");
        assertRefused(JSON.readTree("[1]"), "not a JSON object");
        assertRefused(redemption().put("eventId", " "), "eventId");
        assertRefused(redemption().put("eventId", "x".repeat(65)), "eventId");
        assertRefused(redemption().put("eventId", "événement"), "eventId is not printable ASCII");
        assertRefused(redemption().put("type", 3), "type");
        assertRefused(redemption().put("occurredAt", "soon"), "occurredAt is not an ISO-8601 instant");
        assertRefused(redemption().put("occurredAt", "+10000-01-01T00:00:00Z"), "occurredAt is out of range");
        assertRefused(redemption().put("occurredAt", "0999-12-31T00:00:00Z"), "occurredAt is out of range");
        assertRefused(withPayload("couponId", -1), "couponId");
        assertRefused(withPayload("storeId", 1.5), "storeId");
        assertRefused(withPayload("couponName", "x".repeat(201)), "couponName");
        assertRefused(withPayload("issuedCouponId", "33"), "issuedCouponId");
        assertRefused(withPayload("orderId", ""), "orderId");
        assertRefused(withPayload("discountAmount", -5), "discountAmount");
        ObjectNode noPayload = redemption();
        noPayload.remove("payload");
        assertRefused(noPayload, "couponId");
    }

    private static void assertRefused(JsonNode element, String reason) {
        assertThatThrownBy(() -> UsageEvent.read(element)).as(element.toString())
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.reason()).contains(reason));
    }

    private static ObjectNode redemption() {
        ObjectNode event = JSON.createObjectNode().put("eventId", "e-1").put("type", "COUPON_REDEEMED")
                .put("occurredAt", "2026-05-01T16:00:00Z");
        event.putObject("payload").put("issuedCouponId", 33).put("couponId", 11).put("storeId", 22)
                .put("couponName", "Coupon 11").put("orderId", "order-1").put("discountAmount", 500);
        return event;
    }

    private static ObjectNode withPayload(String field, Object value) {
        ObjectNode event = redemption();
        ((ObjectNode) event.get("payload")).set(field, JSON.valueToTree(value));
        return event;
    }
}
