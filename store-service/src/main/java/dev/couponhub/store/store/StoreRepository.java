package dev.couponhub.store.store;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Every store, deleted ones included (callers check {@link Store#isActive()}). {@code findAllById} reads any number
 * of ids in one query.
 */
public interface StoreRepository extends JpaRepository<Store, Long> {
}
