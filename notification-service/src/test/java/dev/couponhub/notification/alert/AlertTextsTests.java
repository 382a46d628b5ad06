package dev.couponhub.notification.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AlertTextsTests {

    private final AlertTexts texts = new AlertTexts(ZoneId.of("Asia/Seoul"));
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode payload(String raw) throws Exception {
        return json.readTree(raw);
    }

    @Test
    void publishedThenKoreanTitleWithStoreNameAndBodyWithCouponAndDiscount() throws Exception {
        AlertContent alert = texts.compose(AlertType.COUPON_PUBLISHED, payload("""
                {"couponId": 11, "storeId": 5, "storeName": "준커피", "couponName": "아메리카노 할인",
                 "discountType": "FIXED", "discountValue": 1500, "totalQuantity": 100,
                 "issueStartsAt": "2026-11-21T00:00:00Z", "issueEndsAt": "2026-11-22T15:00:00Z"}"""));

        assertThat(alert.title()).isEqualTo("준커피에서 새 쿠폰을 발행했어요");
        assertThat(alert.body()).contains("아메리카노 할인").contains("1,500원")
                .contains("2026년 11월 21일 09:00").contains("2026년 11월 23일 00:00");
        assertThat(alert.data().toString()).isEqualTo("{\"couponId\":11,\"storeId\":5}");
    }

    @Test
    void percentDiscountThenShownAsPercent() {
        assertThat(AlertTexts.discount("PERCENT", 15)).isEqualTo("15%");
        assertThat(AlertTexts.discount("FIXED", 12000)).isEqualTo("12,000원");
    }

    @Test
    void claimedExpiringAndRedeemedThenTheirDataFields() throws Exception {
        String common = "\"couponId\": 11, \"storeId\": 5, \"storeName\": \"준커피\", \"couponName\": \"라떼\", "
                + "\"userId\": 3, \"issuedCouponId\": 99, \"expiresAt\": \"2026-12-01T03:00:00Z\"";
        AlertContent claimed = texts.compose(AlertType.COUPON_CLAIMED, payload("{" + common + "}"));
        assertThat(claimed.title()).isEqualTo("라떼 쿠폰이 발급되었어요");
        assertThat(claimed.body()).contains("준커피").contains("2026년 12월 1일 12:00");
        assertThat(claimed.data().toString()).isEqualTo("{\"issuedCouponId\":99,\"couponId\":11}");

        AlertContent expiring = texts.compose(AlertType.COUPON_EXPIRING, payload("{" + common + "}"));
        assertThat(expiring.title()).isEqualTo("라떼 쿠폰이 곧 만료돼요");
        assertThat(expiring.data().toString())
                .isEqualTo("{\"issuedCouponId\":99,\"expiresAt\":\"2026-12-01T03:00:00Z\"}");

        AlertContent redeemed = texts.compose(AlertType.COUPON_REDEEMED, payload("{" + common
                + ", \"orderId\": \"A-1\", \"orderAmount\": 20000, \"discountAmount\": 3000}"));
        assertThat(redeemed.title()).isEqualTo("라떼 쿠폰을 사용했어요");
        assertThat(redeemed.body()).contains("A-1").contains("3,000원");
        assertThat(redeemed.data().toString())
                .isEqualTo("{\"issuedCouponId\":99,\"couponId\":11,\"orderId\":\"A-1\",\"discountAmount\":3000}");
    }

    @Test
    void missingFieldOrBadTimeThenMalformed() throws Exception {
        assertThatThrownBy(() -> texts.compose(AlertType.COUPON_CLAIMED, payload("{\"couponName\": \"x\"}")))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> texts.compose(AlertType.COUPON_EXPIRING, payload("""
                {"storeName": "s", "couponName": "c", "issuedCouponId": 1, "expiresAt": "tomorrow"}""")))
                .isInstanceOf(MalformedEventException.class);
    }
}
