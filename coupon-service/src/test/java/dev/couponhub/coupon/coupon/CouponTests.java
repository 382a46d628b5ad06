package dev.couponhub.coupon.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import dev.couponhub.coupon.store.StoreSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.test.util.ReflectionTestUtils;

class CouponTests {

    static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");
    static final StoreSnapshot STORE = new StoreSnapshot(1, 10, "Cafe", "CAFE", false, T0);

    static Coupon coupon(long total, Instant validUntil, Integer validDays) {
        return new Coupon(STORE, new CouponTerms("c", null, DiscountType.FIXED, 1000, 0, null, total, 1,
                T0, T0.plus(Duration.ofDays(1)), validUntil, validDays), T0.minusSeconds(60));
    }

    @ParameterizedTest(name = "at +{0}s, issued {1} of 10, ended {2} -> {3}")
    @CsvSource({
            "-1,     0,  false, SCHEDULED",
            "0,      0,  false, ACTIVE",
            "3600,   9,  false, ACTIVE",
            "3600,   10, false, SOLD_OUT",
            "-1,     10, false, SCHEDULED",
            "86399,  0,  false, ACTIVE",
            "86400,  0,  false, ENDED",
            "86400,  10, false, ENDED",
            "3600,   0,  true,  ENDED",
            "3600,   10, true,  ENDED",
            "-1,     0,  true,  ENDED",
    })
    void statusIsDerivedFromTimeStockAndEnd(long secondsFromStart, long issued, boolean ended, CouponStatus expected) {
        Coupon coupon = coupon(10, null, 30);
        ReflectionTestUtils.setField(coupon, "issuedQuantity", issued);
        if (ended) {
            coupon.end(T0.minusSeconds(30));
        }

        assertThat(coupon.statusAt(T0.plusSeconds(secondsFromStart))).isEqualTo(expected);
        assertThat(coupon.remainingQuantity()).isEqualTo(10 - issued);
    }

    @Test
    void expiresAtIsTheEarlierOfValidUntilAndRelativeDays() {
        Instant issuedAt = T0.plus(Duration.ofHours(1));
        Instant farUntil = T0.plus(Duration.ofDays(60));
        Instant nearUntil = T0.plus(Duration.ofDays(2));

        assertThat(coupon(5, null, 30).expiresAtFor(issuedAt)).isEqualTo(issuedAt.plus(Duration.ofDays(30)));
        assertThat(coupon(5, farUntil, null).expiresAtFor(issuedAt)).isEqualTo(farUntil);
        assertThat(coupon(5, farUntil, 30).expiresAtFor(issuedAt)).isEqualTo(issuedAt.plus(Duration.ofDays(30)));
        assertThat(coupon(5, nearUntil, 30).expiresAtFor(issuedAt)).isEqualTo(nearUntil);
    }

    @Test
    void endIsOnceOnly() {
        Coupon coupon = coupon(5, null, 1);
        assertThat(coupon.end(T0)).isTrue();
        assertThat(coupon.end(T0.plusSeconds(1))).isFalse();
        assertThat(coupon.endedAt()).isEqualTo(T0);
        assertThat(coupon.isClaimWindowOpen(T0.plusSeconds(5))).isFalse();
    }
}
