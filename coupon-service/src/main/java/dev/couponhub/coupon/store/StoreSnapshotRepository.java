package dev.couponhub.coupon.store;

import java.time.Instant;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface StoreSnapshotRepository extends JpaRepository<StoreSnapshot, Long> {

    /**
     * Creates the snapshot or takes the given details into it, in one statement: a publish and a store event that
     * both meet an unknown store at the same time never collide on the primary key, and as the statement locks the row
     * exclusively from the start, two of them never deadlock either (they take turns). A deleted store stays deleted.
     * Clears the persistence context: a snapshot loaded before is stale afterwards.
     */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query(value = "INSERT INTO store_snapshots (id, owner_id, name, category, deleted, updated_at) "
            + "VALUES (:id, :ownerId, :name, :category, FALSE, :now) ON DUPLICATE KEY UPDATE "
            + "owner_id = VALUES(owner_id), name = VALUES(name), category = VALUES(category), "
            + "updated_at = VALUES(updated_at)", nativeQuery = true)
    void upsert(@Param("id") long id, @Param("ownerId") long ownerId, @Param("name") String name,
                @Param("category") String category, @Param("now") Instant now);
}
