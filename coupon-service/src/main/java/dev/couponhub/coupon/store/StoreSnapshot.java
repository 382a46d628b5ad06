package dev.couponhub.coupon.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * What this service knows about a store of store-service: its owner, name and category, and whether it was deleted.
 * Refreshed from store-service's answer when a coupon is published and from store events.
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

    /** Takes the store's current details. A deleted store stays deleted. */
    public void refresh(long ownerId, String name, String category, boolean deleted, Instant now) {
        this.ownerId = ownerId;
        this.name = name;
        this.category = category;
        this.deleted = this.deleted || deleted;
        this.updatedAt = now;
    }

    public void markDeleted(Instant now) {
        this.deleted = true;
        this.updatedAt = now;
    }

    public boolean isOwnedBy(long userId) {
        return ownerId == userId;
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
}
