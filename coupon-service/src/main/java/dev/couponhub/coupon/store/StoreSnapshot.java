package dev.couponhub.coupon.store;

import java.time.Instant;

import dev.couponhub.kit.caller.Caller;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * What this service knows about a store of store-service: its owner, name and category, and whether it was deleted.
 * Created from store-service's answer when a coupon is published and kept current by store events, in the store's
 * version order ({@code version}, null while only the answer is known). A deletion is final: a store deleted before
 * anything else was known of it is a tombstone (deleted, no name), so that a coupon published in the meantime is
 * refused. Written only through {@link StoreSnapshotRepository}'s upserts.
 */
@Entity
@Table(name = "store_snapshots")
public class StoreSnapshot {

    @Id
    private Long id;

    @Column(name = "owner_id", nullable = false)
    private long ownerId;

    @Column(nullable = false, length = 100)
    private String name;

    @Column(nullable = false, length = 20)
    private String category;

    @Column(nullable = false)
    private boolean deleted;

    @Column
    private Long version;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected StoreSnapshot() {
        // for JPA
    }

    public StoreSnapshot(long id, long ownerId, String name, String category, boolean deleted, Instant now) {
        this.id = id;
        this.ownerId = ownerId;
        this.name = name;
        this.category = category;
        this.deleted = deleted;
        this.updatedAt = now;
    }

    public boolean isOwnedBy(long userId) {
        return ownerId == userId;
    }

    /** Whether the caller acts for this store: its owner, or a partner with one of its API keys. */
    public boolean isActedForBy(Caller caller) {
        return caller.actsFor(id, ownerId);
    }

    public long id() {
        return id;
    }

    public long ownerId() {
        return ownerId;
    }

    public String name() {
        return name;
    }

    public String category() {
        return category;
    }

    public boolean isDeleted() {
        return deleted;
    }

    /** The store's version the details come from; null when known only from store-service's gRPC answer. */
    public Long version() {
        return version;
    }
}
