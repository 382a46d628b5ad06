package dev.couponhub.store.events;

import java.time.Instant;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface OutboxEntryRepository extends JpaRepository<OutboxEntry, Long> {

    /** Events not yet acknowledged by SQS. */
    long countBySentAtIsNull();

    /**
     * Locks up to {@code limit} unsent entries that are due, oldest first, skipping entries another transaction has
     * locked: concurrent relays (other instances) never get the same entry. Run under READ COMMITTED so that the
     * scan takes no gap locks that would hold up the inserts of new events.
     */
    @Query(value = """
            SELECT * FROM outbox_events
            WHERE sent_at IS NULL AND next_attempt_at <= :now
            ORDER BY id
            LIMIT :limit
            FOR UPDATE SKIP LOCKED""", nativeQuery = true)
    List<OutboxEntry> lockDue(@Param("now") Instant now, @Param("limit") int limit);

    /** Deletes up to {@code limit} entries sent before {@code before}; never an unsent one. */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query(value = "DELETE FROM outbox_events WHERE sent_at < :before ORDER BY sent_at, id LIMIT :limit",
            nativeQuery = true)
    int deleteSentBefore(@Param("before") Instant before, @Param("limit") int limit);
}
