package dev.couponhub.store.store;

import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A store, owned by one OWNER account. Deleting it is a soft delete: the row stays (other services may still ask
 * who owned it) with status {@link StoreStatus#DELETED}, and it can no longer change.
 */
@Entity
@Table(name = "stores")
public class Store {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "owner_id", nullable = false)
    private long ownerId;

    @Column(nullable = false, length = 100)
    private String name;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false, length = 20)
    private Category category;

    @Column(nullable = false, length = 200)
    private String address;

    @Column(length = 1000)
    private String description;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false, length = 10)
    private StoreStatus status;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "deleted_at")
    private Instant deletedAt;

    @Version
    @Column(nullable = false)
    private long version;

    protected Store() {
        // for JPA
    }

    private Store(long ownerId, StoreDetails details, Instant now) {
        this.ownerId = ownerId;
        apply(details);
        this.status = StoreStatus.ACTIVE;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** A new active store of the given owner. */
    public static Store open(long ownerId, StoreDetails details, Instant now) {
        if (ownerId <= 0) {
            throw new IllegalArgumentException("ownerId must be positive");
        }
        return new Store(ownerId, details, now);
    }

    /**
     * Replaces what the owner states about the store.
     *
     * @return whether anything changed (when nothing did, {@code updatedAt} stays as it was)
     */
    public boolean update(StoreDetails details, Instant now) {
        requireActive();
        if (details.equals(details())) {
            return false;
        }
        apply(details);
        this.updatedAt = now;
        return true;
    }

    /** Soft-deletes the store. */
    public void delete(Instant now) {
        requireActive();
        this.status = StoreStatus.DELETED;
        this.deletedAt = now;
        this.updatedAt = now;
    }

    public boolean isActive() {
        return status == StoreStatus.ACTIVE;
    }

    public boolean isOwnedBy(long userId) {
        return ownerId == userId;
    }

    public StoreDetails details() {
        return new StoreDetails(name, category, address, description);
    }

    private void apply(StoreDetails details) {
        Objects.requireNonNull(details, "details");
        this.name = details.name();
        this.category = details.category();
        this.address = details.address();
        this.description = details.description();
    }

    private void requireActive() {
        if (!isActive()) {
            throw new IllegalStateException("store " + id + " is deleted");
        }
    }

    public Long id() {
        return id;
    }

    /** The optimistic-lock version: 0 when created, incremented by every flushed change (the deletion too). */
    public long version() {
        return version;
    }

    public long ownerId() {
        return ownerId;
    }

    public String name() {
        return name;
    }

    public Category category() {
        return category;
    }

    public String address() {
        return address;
    }

    public String description() {
        return description;
    }

    public StoreStatus status() {
        return status;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Instant deletedAt() {
        return deletedAt;
    }

    @Override
    public String toString() {
        return "Store[id=" + id + ", ownerId=" + ownerId + ", status=" + status + "]";
    }
}
