package dev.couponhub.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * The database, not only the Redis gate and the writer, keeps every shopper within the coupon's {@code perUserLimit}:
 * rows written behind the service's back (plain JDBC here) with a {@code user_seq} above the limit, or with a limit
 * other than the coupon's, are refused.
 */
class IssuedCouponLimitIT extends CouponServiceItSupport {

    private static final String CHECK = "ck_issued_coupons_user_seq_limit";
    private static final String FOREIGN_KEY = "fk_issued_coupons_coupon_limit";

    @Test
    void claimsThenEachRowCarriesTheCouponsLimit() {
        long couponId = openCoupon(10, 3);
        long user = newUserId();
        for (int i = 0; i < 3; i++) {
            assertThat(claim(couponId, user).status()).isEqualTo(201);
        }
        assertThat(jdbc.queryForList("SELECT per_user_limit FROM issued_coupons WHERE coupon_id = ?", Integer.class,
                couponId)).containsExactly(3, 3, 3);
    }

    @Test
    void userSeqAboveTheLimitThenRefusedByTheDatabase() {
        long couponId = openCoupon(10, 2);
        long user = newUserId();
        insert(couponId, user, 1, 1, 2);
        insert(couponId, user, 2, 2, 2);

        assertThatThrownBy(() -> insert(couponId, user, 3, 3, 2))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining(CHECK);
        assertThatThrownBy(() -> jdbc.update("UPDATE issued_coupons SET user_seq = 3 WHERE coupon_id = ? "
                + "AND user_seq = 2", couponId))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining(CHECK);
        assertThat(jdbc.queryForList("SELECT user_seq FROM issued_coupons WHERE coupon_id = ? ORDER BY user_seq",
                Integer.class, couponId)).containsExactly(1, 2);
    }

    @Test
    void limitOtherThanTheCouponsThenRefusedByTheForeignKey() {
        long couponId = openCoupon(10, 1);
        long user = newUserId();

        // user_seq 2 would pass a CHECK against the claimed limit of 5: the coupon's limit is 1
        assertThatThrownBy(() -> insert(couponId, user, 1, 2, 5))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining(FOREIGN_KEY);
        assertThatThrownBy(() -> insert(couponId, user, 1, 1, 5))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining(FOREIGN_KEY);
        insert(couponId, user, 1, 1, 1);
        assertThatThrownBy(() -> jdbc.update("UPDATE issued_coupons SET per_user_limit = 5 WHERE coupon_id = ?",
                couponId)).isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining(FOREIGN_KEY);
        assertThat(issuedCount(couponId)).isEqualTo(1);
    }

    @Test
    void couponWithIssuedUnitsThenItsLimitCannotChangeUnderThem() {
        long couponId = openCoupon(10, 2);
        assertThat(claim(couponId, newUserId()).status()).isEqualTo(201);

        assertThatThrownBy(() -> jdbc.update("UPDATE coupons SET per_user_limit = 1 WHERE id = ?", couponId))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining(FOREIGN_KEY);
        assertThat(jdbc.queryForObject("SELECT per_user_limit FROM coupons WHERE id = ?", Integer.class, couponId))
                .isEqualTo(2);
    }

    /** An issued row as a writer other than the service's would insert it. */
    private void insert(long couponId, long userId, long seq, int userSeq, int perUserLimit) {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("INSERT INTO issued_coupons (coupon_id, user_id, seq, user_seq, per_user_limit, code, status, "
                        + "issued_at, expires_at, version) VALUES (?, ?, ?, ?, ?, ?, 'ISSUED', ?, ?, 0)", couponId, userId,
                seq, userSeq, perUserLimit, UUID.randomUUID().toString().replace("-", "").substring(0, 12), now,
                Timestamp.from(now.toInstant().plus(Duration.ofDays(1))));
    }
}
