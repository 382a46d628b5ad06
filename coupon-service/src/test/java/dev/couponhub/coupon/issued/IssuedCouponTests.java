package dev.couponhub.coupon.issued;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import dev.couponhub.coupon.coupon.Coupon;
import dev.couponhub.coupon.coupon.CouponTerms;
import dev.couponhub.coupon.coupon.DiscountType;
import dev.couponhub.coupon.store.StoreSnapshot;
import org.junit.jupiter.api.Test;

class IssuedCouponTests {

    static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");

    static IssuedCoupon issued() {
        Coupon coupon = new Coupon(new StoreSnapshot(1, 10, "Cafe", "CAFE", false, T0),
                new CouponTerms("c", null, DiscountType.PERCENT, 10, 10_000, 3_000L, 5, 2, T0,
                        T0.plus(Duration.ofDays(1)), null, 7), T0);
        return new IssuedCoupon(coupon, 99, 1, 1, "ABCDEFGHJKLM", null, T0);
    }

    @Test
    void newUnitOutsideTheCouponsBoundsIsRefused() {
        Coupon coupon = issued().coupon();
        // a unit number above the stock is a number, not a unit too many (MySQL's count bounds the stock)
        assertThat(new IssuedCoupon(coupon, 1, 6, 1, "C", null, T0).seq()).isEqualTo(6);
        assertThatThrownBy(() -> new IssuedCoupon(coupon, 1, 0, 1, "C", null, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IssuedCoupon(coupon, 1, 1, 3, "C", null, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void redeemComputesDiscountAndIsIdempotentPerOrder() {
        IssuedCoupon unit = issued();
        assertThat(unit.redeem("o-1", 50_000, RedemptionChannel.SELF, T0.plusSeconds(10))).isTrue();
        assertThat(unit.discountAmount()).isEqualTo(3_000); // 10 % of 50,000 capped at 3,000
        assertThat(unit.statusAt(T0.plusSeconds(20))).isEqualTo(IssuedCouponStatus.REDEEMED);
        assertThat(unit.redeem("o-1", 50_000, RedemptionChannel.SELF, T0.plusSeconds(30))).isFalse();
        assertThatThrownBy(() -> unit.redeem("o-2", 50_000, RedemptionChannel.SELF, T0.plusSeconds(30)))
                .isInstanceOfSatisfying(RedemptionRefused.class,
                        e -> assertThat(e.reason()).isEqualTo(RedemptionRefused.Reason.ALREADY_REDEEMED));
    }

    @Test
    void redeemWhenBelowMinimumOrExpiredThenRefused() {
        IssuedCoupon unit = issued();
        assertThatThrownBy(() -> unit.redeem("o", 9_999, RedemptionChannel.SELF, T0))
                .isInstanceOfSatisfying(RedemptionRefused.class,
                        e -> assertThat(e.reason()).isEqualTo(RedemptionRefused.Reason.MIN_ORDER_NOT_MET));
        Instant later = T0.plus(Duration.ofDays(7));
        assertThat(unit.statusAt(later)).isEqualTo(IssuedCouponStatus.EXPIRED);
        assertThatThrownBy(() -> unit.redeem("o", 20_000, RedemptionChannel.SELF, later))
                .isInstanceOfSatisfying(RedemptionRefused.class,
                        e -> assertThat(e.reason()).isEqualTo(RedemptionRefused.Reason.EXPIRED));
    }

    @Test
    void cancelRedemptionRestoresIssuedOrExpired() {
        IssuedCoupon unit = issued();
        assertThatThrownBy(() -> unit.cancelRedemption("o", RedemptionChannel.SELF, T0))
                .isInstanceOfSatisfying(RedemptionRefused.class,
                        e -> assertThat(e.reason()).isEqualTo(RedemptionRefused.Reason.NOT_REDEEMED));
        unit.redeem("o", 20_000, RedemptionChannel.SELF, T0);
        assertThatThrownBy(() -> unit.cancelRedemption("other", RedemptionChannel.SELF, T0))
                .isInstanceOfSatisfying(RedemptionRefused.class,
                        e -> assertThat(e.reason()).isEqualTo(RedemptionRefused.Reason.ORDER_MISMATCH));
        unit.cancelRedemption("o", RedemptionChannel.SELF, T0.plusSeconds(1));
        assertThat(unit.storedStatus()).isEqualTo(IssuedCouponStatus.ISSUED);
        assertThat(unit.discountAmount()).isNull();

        unit.redeem("o2", 20_000, RedemptionChannel.SELF, T0.plusSeconds(2));
        unit.cancelRedemption("o2", RedemptionChannel.SELF, T0.plus(Duration.ofDays(8)));
        assertThat(unit.storedStatus()).isEqualTo(IssuedCouponStatus.EXPIRED);
    }

    @Test
    void cancelOnlyThroughTheChannelThatRedeemed() {
        IssuedCoupon unit = issued();
        unit.redeem("o", 20_000, RedemptionChannel.COUNTER, T0);
        assertThat(unit.redemptionChannel()).isEqualTo(RedemptionChannel.COUNTER);
        // the holder cannot undo the store's redemption, even naming its order
        assertThatThrownBy(() -> unit.cancelRedemption("o", RedemptionChannel.SELF, T0))
                .isInstanceOfSatisfying(RedemptionRefused.class,
                        e -> assertThat(e.reason()).isEqualTo(RedemptionRefused.Reason.NOT_REDEEMER));
        assertThat(unit.storedStatus()).isEqualTo(IssuedCouponStatus.REDEEMED);
        // the same order again through the other channel is the same redemption: it stays the store's
        assertThat(unit.redeem("o", 20_000, RedemptionChannel.SELF, T0)).isFalse();
        assertThat(unit.redemptionChannel()).isEqualTo(RedemptionChannel.COUNTER);

        unit.cancelRedemption("o", RedemptionChannel.COUNTER, T0.plusSeconds(1));
        assertThat(unit.redemptionChannel()).isNull();
        unit.redeem("o2", 20_000, RedemptionChannel.SELF, T0.plusSeconds(2));
        assertThatThrownBy(() -> unit.cancelRedemption("o2", RedemptionChannel.COUNTER, T0))
                .isInstanceOfSatisfying(RedemptionRefused.class,
                        e -> assertThat(e.reason()).isEqualTo(RedemptionRefused.Reason.NOT_REDEEMER));
    }

    @Test
    void previewGivesTheDiscountOrTheRefusalAndChangesNothing() {
        IssuedCoupon unit = issued();
        assertThat(unit.preview(50_000, T0)).isEqualTo(new IssuedCoupon.Preview(null, 3_000));
        assertThat(unit.preview(20_000, T0)).isEqualTo(new IssuedCoupon.Preview(null, 2_000));
        assertThat(unit.preview(9_999, T0))
                .isEqualTo(new IssuedCoupon.Preview(RedemptionRefused.Reason.MIN_ORDER_NOT_MET, 0));
        assertThat(unit.preview(20_000, T0.plus(Duration.ofDays(7))))
                .isEqualTo(new IssuedCoupon.Preview(RedemptionRefused.Reason.EXPIRED, 0));
        assertThat(unit.storedStatus()).isEqualTo(IssuedCouponStatus.ISSUED);
        unit.redeem("o", 20_000, RedemptionChannel.SELF, T0);
        assertThat(unit.preview(20_000, T0))
                .isEqualTo(new IssuedCoupon.Preview(RedemptionRefused.Reason.ALREADY_REDEEMED, 0));
        assertThat(unit.orderId()).isEqualTo("o");
    }

    @Test
    void expireOnlyUnusedPastExpiry() {
        IssuedCoupon unit = issued();
        assertThat(unit.expire(T0.plus(Duration.ofDays(6)))).isFalse();
        assertThat(unit.markExpiringNotified(T0.plus(Duration.ofDays(6)))).isTrue();
        assertThat(unit.markExpiringNotified(T0.plus(Duration.ofDays(6)))).isFalse();
        assertThat(unit.expire(T0.plus(Duration.ofDays(7)))).isTrue();
        assertThat(unit.expire(T0.plus(Duration.ofDays(8)))).isFalse();
        assertThat(unit.storedStatus()).isEqualTo(IssuedCouponStatus.EXPIRED);
    }
}
