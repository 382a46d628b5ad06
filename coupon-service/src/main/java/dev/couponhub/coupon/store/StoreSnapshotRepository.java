package dev.couponhub.coupon.store;

import java.time.Instant;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/**
 * The store snapshots, written only by upserts: each creates the row or changes it in one statement, so a publish and
 * a store event that both meet an unknown store at the same time never collide on the primary key, and as the
 * statement locks the row exclusively from the start, two of them never deadlock either (they take turns). Every
 * upsert clears the persistence context: a snapshot loaded before is stale afterwards.
 *
 * <p>In {@code ON DUPLICATE KEY UPDATE} MySQL assigns from left to right and a later assignment sees the earlier
 * ones: the columns the conditions read ({@code deleted}, {@code version}) are assigned last.
 */
public interface StoreSnapshotRepository extends JpaRepository<StoreSnapshot, Long> {

    /**
     * The snapshot as committed now, read with the lock an upsert of this transaction already holds: a plain read
     * would use the transaction's REPEATABLE READ view, which misses a row another transaction created meanwhile when
     * the upsert left it unchanged (a deleted or event-versioned store).
     */
    @Query(value = "SELECT * FROM store_snapshots WHERE id = :id FOR UPDATE", nativeQuery = true)
    Optional<StoreSnapshot> findCurrent(@Param("id") long id);

    /**
     * From store-service's gRPC answer (a coupon is being published): creates the snapshot, or takes the details into
     * one that events have not versioned yet. A deleted store stays deleted, and details that came with a version
     * (from an event) are not replaced by the answer, which carries none and may be older.
     */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query(value = "INSERT INTO store_snapshots (id, owner_id, name, category, deleted, version, updated_at) "
            + "VALUES (:id, :ownerId, :name, :category, FALSE, NULL, :now) ON DUPLICATE KEY UPDATE "
            + "owner_id = IF(deleted OR version IS NOT NULL, owner_id, VALUES(owner_id)), "
            + "name = IF(deleted OR version IS NOT NULL, name, VALUES(name)), "
            + "category = IF(deleted OR version IS NOT NULL, category, VALUES(category)), "
            + "updated_at = IF(deleted OR version IS NOT NULL, updated_at, VALUES(updated_at))", nativeQuery = true)
    void upsert(@Param("id") long id, @Param("ownerId") long ownerId, @Param("name") String name,
                @Param("category") String category, @Param("now") Instant now);

    /**
     * A {@code STORE_UPDATED} event: creates the snapshot, or takes the details if the event is newer than what the
     * snapshot holds (a higher version, or the snapshot has none). A deleted store stays deleted. An event without a
     * version (sent before store-service versioned its events) is taken unless the store is deleted.
     */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query(value = "INSERT INTO store_snapshots (id, owner_id, name, category, deleted, version, updated_at) "
            + "VALUES (:id, :ownerId, :name, :category, FALSE, :version, :now) ON DUPLICATE KEY UPDATE "
            + "owner_id = IF(" + STALE + ", owner_id, VALUES(owner_id)), "
            + "name = IF(" + STALE + ", name, VALUES(name)), "
            + "category = IF(" + STALE + ", category, VALUES(category)), "
            + "updated_at = IF(" + STALE + ", updated_at, VALUES(updated_at)), "
            + "version = IF(" + STALE + ", version, COALESCE(VALUES(version), version))", nativeQuery = true)
    void applyUpdate(@Param("id") long id, @Param("ownerId") long ownerId, @Param("name") String name,
                     @Param("category") String category, @Param("version") Long version,
                     @Param("now") Instant now);

    /** Whether the incoming row of {@link #applyUpdate} is older than (or as old as) the stored one, or comes too late. */
    String STALE = "(deleted OR (VALUES(version) IS NOT NULL AND version IS NOT NULL AND VALUES(version) <= version))";

    /**
     * A {@code STORE_DELETED} event: marks the snapshot deleted, for good, or, when nothing is known of the store yet,
     * creates it deleted (a tombstone without a name), so that neither a publish racing the deletion nor a late
     * {@code STORE_UPDATED} brings the store back. The version becomes the highest seen.
     */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query(value = "INSERT INTO store_snapshots (id, owner_id, name, category, deleted, version, updated_at) "
            + "VALUES (:id, :ownerId, '', '', TRUE, :version, :now) ON DUPLICATE KEY UPDATE "
            + "updated_at = IF(deleted, updated_at, VALUES(updated_at)), "
            + "version = COALESCE(GREATEST(version, VALUES(version)), version, VALUES(version)), "
            + "deleted = TRUE", nativeQuery = true)
    void markDeleted(@Param("id") long id, @Param("ownerId") long ownerId, @Param("version") Long version,
                     @Param("now") Instant now);
}
