package dev.couponhub.coupon.coupon;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface CouponRepository extends JpaRepository<Coupon, Long> {

    /** The coupon with its store, in one query. */
    @Query("select c from Coupon c join fetch c.store where c.id = :id")
    Optional<Coupon> findWithStore(@Param("id") long id);

    @Query("select c from Coupon c join fetch c.store where c.id in :ids")
    List<Coupon> findAllWithStore(@Param("ids") Iterable<Long> ids);

    @Query("select c from Coupon c join fetch c.store where c.store.id = :storeId and c.endedAt is null")
    List<Coupon> findNotEndedOfStore(@Param("storeId") long storeId);

    /**
     * Counts one more issued unit, unless the coupon was ended, is outside its claim window at {@code now}, or every
     * unit is issued: answers 0 then. Takes the
     * coupon row's lock until the transaction ends.
     */
    @Modifying(flushAutomatically = true, clearAutomatically = false)
    @Query(value = "UPDATE coupons SET issued_quantity = issued_quantity + 1 "
            + "WHERE id = :id AND ended_at IS NULL AND issue_starts_at <= :now AND issue_ends_at > :now "
            + "AND issued_quantity < total_quantity", nativeQuery = true)
    int countIssue(@Param("id") long id, @Param("now") java.time.Instant now);
}
