package dev.couponhub.coupon.expiry;

import java.time.Instant;
import java.util.List;

import dev.couponhub.coupon.issued.IssuedCoupon;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

interface ExpiryRepository extends Repository<IssuedCoupon, Long> {

    /** Locks unused coupons past their expiry, skipping rows another instance has locked. */
    @Query(value = """
            SELECT id FROM issued_coupons
            WHERE status = 'ISSUED' AND expires_at <= :now
            ORDER BY expires_at
            LIMIT :limit
            FOR UPDATE SKIP LOCKED""", nativeQuery = true)
    List<Long> lockExpired(@Param("now") Instant now, @Param("limit") int limit);

    /** Locks unused coupons expiring before {@code until} whose notice was not sent yet. */
    @Query(value = """
            SELECT id FROM issued_coupons
            WHERE status = 'ISSUED' AND expiring_notified_at IS NULL AND expires_at > :now AND expires_at <= :until
            ORDER BY expires_at
            LIMIT :limit
            FOR UPDATE SKIP LOCKED""", nativeQuery = true)
    List<Long> lockExpiring(@Param("now") Instant now, @Param("until") Instant until, @Param("limit") int limit);

    @Query("select i from IssuedCoupon i join fetch i.coupon c join fetch c.store where i.id in :ids")
    List<IssuedCoupon> findAllWithCoupon(@Param("ids") List<Long> ids);
}
