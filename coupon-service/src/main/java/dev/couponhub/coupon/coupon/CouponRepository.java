package dev.couponhub.coupon.coupon;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface CouponRepository extends JpaRepository<Coupon, Long> {

    /** The coupon with its store, in one query. */
    @Query("select c from Coupon c join fetch c.store where c.id = :id")
    Optional<Coupon> findWithStore(@Param("id") long id);

    /**
     * The coupon with its store, its row locked until the transaction ends: claims count units under the same lock,
     * so a change of the stock sees the issued count no claim can still move.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select c from Coupon c join fetch c.store where c.id = :id")
    Optional<Coupon> findWithStoreForUpdate(@Param("id") long id);

    @Query("select c from Coupon c join fetch c.store where c.id in :ids")
    List<Coupon> findAllWithStore(@Param("ids") Iterable<Long> ids);

    @Query("select c from Coupon c join fetch c.store where c.store.id = :storeId and c.endedAt is null")
    List<Coupon> findNotEndedOfStore(@Param("storeId") long storeId);
}
