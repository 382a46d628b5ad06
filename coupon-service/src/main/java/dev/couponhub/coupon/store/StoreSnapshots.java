package dev.couponhub.coupon.store;

import java.time.Instant;
import java.util.Objects;

import dev.couponhub.coupon.search.SearchSync;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps the store snapshots current from store-service's answers and events, race-free: the row is created with an
 * upsert ({@link StoreSnapshotRepository#upsert}), so a coupon publish and a store event that meet a new store at the
 * same time both succeed.
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
     * The store's snapshot with the given details, created if it did not exist; a changed name or category queues
     * its coupons' search documents. A deleted store stays deleted. Runs in the caller's transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public StoreSnapshot refresh(long storeId, long ownerId, String name, String category, Instant now) {
        snapshots.findById(storeId)
                .filter(known -> !Objects.equals(known.name(), name) || !Objects.equals(known.category(), category))
                .ifPresent(known -> searchSync.storeChanged(storeId)); // its coupons are found by the new name
        snapshots.upsert(storeId, ownerId, name, category, now);
        return snapshots.findById(storeId)
                .orElseThrow(() -> new IllegalStateException("store snapshot " + storeId + " vanished"));
    }
}
