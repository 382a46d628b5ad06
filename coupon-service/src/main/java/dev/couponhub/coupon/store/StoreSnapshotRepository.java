package dev.couponhub.coupon.store;

import org.springframework.data.jpa.repository.JpaRepository;

public interface StoreSnapshotRepository extends JpaRepository<StoreSnapshot, Long> {
}
