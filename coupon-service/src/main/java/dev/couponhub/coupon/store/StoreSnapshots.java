package dev.couponhub.coupon.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import dev.couponhub.coupon.search.SearchSync;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps the store snapshots current from store-service's answers and events, race-free: the row is created with an
 * upsert ({@link StoreSnapshotRepository}), so a coupon publish and a store event that meet a new store at the same
 * time both succeed. Events apply in the store's version order, and a deletion is final.
 */
@Component
public class StoreSnapshots {

    private final StoreSnapshotRepository snapshots;
    private final SearchSync searchSync;

    StoreSnapshots(StoreSnapshotRepository snapshots, SearchSync searchSync) {
        this.snapshots = snapshots;
        this.searchSync = searchSync;
    }

    /**
     * The store's snapshot from store-service's answer, created if it did not exist; a changed name or category
     * queues its coupons' search documents. A deleted store stays deleted (the caller refuses its coupons), and
     * details an event brought are kept. Runs in the caller's transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public StoreSnapshot refresh(long storeId, long ownerId, String name, String category, Instant now) {
        return changing(storeId, () -> snapshots.upsert(storeId, ownerId, name, category, now));
    }

    /**
     * A {@code STORE_UPDATED} event: taken only if newer than the snapshot ({@code version}; null for an event
     * without one), never into a deleted store. Runs in the caller's transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public StoreSnapshot update(long storeId, long ownerId, String name, String category, Long version, Instant now) {
        return changing(storeId, () -> snapshots.applyUpdate(storeId, ownerId, name, category, version, now));
    }

    /** A {@code STORE_DELETED} event: the snapshot is deleted for good, a tombstone if the store was unknown. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void delete(long storeId, long ownerId, Long version, Instant now) {
        snapshots.markDeleted(storeId, ownerId, version, now);
    }

    private StoreSnapshot changing(long storeId, Runnable upsert) {
        Optional<StoreSnapshot> before = snapshots.findById(storeId); // detached by the upsert, keeps what it read
        upsert.run();
        StoreSnapshot after = snapshots.findCurrent(storeId)
                .orElseThrow(() -> new IllegalStateException("store snapshot " + storeId + " vanished"));
        before.filter(known -> !known.isDeleted())
                .filter(known -> !Objects.equals(known.name(), after.name())
                        || !Objects.equals(known.category(), after.category()))
                .ifPresent(known -> searchSync.storeChanged(storeId)); // its coupons are found by the new name
        return after;
    }
}
