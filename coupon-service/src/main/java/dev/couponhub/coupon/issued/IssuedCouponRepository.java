package dev.couponhub.coupon.issued;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface IssuedCouponRepository extends JpaRepository<IssuedCoupon, Long> {

    @Query("select i from IssuedCoupon i join fetch i.coupon c join fetch c.store where i.id = :id")
    Optional<IssuedCoupon> findWithCoupon(@Param("id") long id);

    @Query("select i from IssuedCoupon i join fetch i.coupon c join fetch c.store where i.code = :code")
    Optional<IssuedCoupon> findByCodeWithCoupon(@Param("code") String code);

    @Query("select i from IssuedCoupon i join fetch i.coupon c join fetch c.store "
            + "where i.userId = :userId and i.idempotencyKey = :key")
    Optional<IssuedCoupon> findByIdempotencyKey(@Param("userId") long userId, @Param("key") String key);
}
