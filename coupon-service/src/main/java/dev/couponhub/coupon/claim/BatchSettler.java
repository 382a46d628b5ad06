package dev.couponhub.coupon.claim;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.couponhub.coupon.config.ClaimProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Ends the XA transactions of claim batches whose {@code XA PREPARE} or {@code XA COMMIT} got no answer (MySQL
 * stalled, or the connection was lost, as the statement was sent).
 *
 * <p>Each batch of the {@link ClaimWriter} is one XA transaction, so that a batch whose outcome the writer cannot learn
 * in time still has an outcome the writer chooses: a batch whose PREPARE was not acknowledged is <em>rolled back</em>
 * (its claims are answered 503 and are never issued, even if the PREPARE reaches MySQL later: a prepared transaction
 * waits for a decision), and one whose PREPARE was acknowledged is <em>committed</em> (its claims are answered 201:
 * prepared is durable). A plain COMMIT that got no answer could instead land at any time after its claims were
 * answered.
 *
 * <p>The decision is carried out here, in the background, once MySQL answers again: the batch's old session is ended
 * ({@code KILL CONNECTION}: a prepared transaction can be ended by another session only once its own session is
 * gone), then {@code XA ROLLBACK} or {@code XA COMMIT} ends it (an unknown XID means it already ended: rolled back
 * with its session if it was never prepared, committed by the delivered XA COMMIT). The units of a rolled-back batch are
 * given back only then. A rollback decision is also written to Redis before its claims are answered, so that
 * {@link #recover()} (run by the reaper, one instance) decides the same if this process dies first; a prepared
 * transaction without such a record is committed. {@link #recover()} leaves alone what is younger than any claim may
 * take ({@link ClaimProperties#longestClaim()}): its writer is still deciding.
 */
@Component
class BatchSettler {

    private static final Logger log = LoggerFactory.getLogger(BatchSettler.class);
    /** Every claim batch's XID starts so: {@code couponhub-claims.<epoch millis>.<instance>.<n>}. */
    static final String PREFIX = "couponhub-claims.";
    /** XIDs decided to be rolled back, scored by the time of the decision (epoch millis). */
    static final String ROLLBACKS = "cp:xa:rollbacks";
    private static final Duration KEEP_DECISIONS = Duration.ofDays(1);
    private static final long RETRY_MILLIS = 200;
    private static final int UNKNOWN_XID = 1397;
    private static final int UNKNOWN_THREAD = 1094;
    private static final int ACCESS_DENIED = 1227;

    /** A batch whose transaction is prepared or may be: its session, and what was decided. */
    record Undecided(String xid, long sessionId, boolean commit, List<Reservation> reservations) {
    }

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final Clock clock;
    private final Duration youngest;
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong sequence = new AtomicLong();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "claim-settler");
        thread.setDaemon(true);
        return thread;
    });
    private final Counter settled;
    private volatile boolean recoverRefused;

    BatchSettler(JdbcTemplate jdbc, StringRedisTemplate redis, Clock clock, ClaimProperties properties,
                 MeterRegistry meters) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.clock = clock;
        this.youngest = properties.longestClaim();
        this.settled = Counter.builder("couponhub.claims.batches.settled")
                .description("Claim batches whose PREPARE or XA COMMIT got no answer, ended once MySQL answered")
                .register(meters);
    }

    /** A new XID for a claim batch; at most 64 characters, quoting-safe. */
    String newXid() {
        return PREFIX + clock.millis() + "." + instance + "." + sequence.incrementAndGet();
    }

    /** Its PREPARE was acknowledged but XA COMMIT was not: commits it once MySQL answers. */
    void commitLater(String xid, long sessionId) {
        log.warn("XA COMMIT of claim batch {} got no answer; it is prepared and will be committed", xid);
        executor.execute(() -> settle(new Undecided(xid, sessionId, true, List.of())));
    }

    /**
     * Its PREPARE was not acknowledged: records the decision to roll it back (before its claims are answered), and
     * rolls it back once MySQL answers, then gives its units back.
     */
    void rollbackLater(String xid, long sessionId, List<Reservation> reservations) {
        log.warn("XA PREPARE of claim batch {} got no answer; it will be rolled back and its {} unit(s) given back",
                xid, reservations.size());
        try {
            redis.opsForZSet().add(ROLLBACKS, xid, clock.millis());
        } catch (RuntimeException e) {
            // this process still rolls it back; only if it also dies before MySQL answers would recover() commit it
            log.error("Could not record the rollback of claim batch {} in Redis: {}", xid, e.toString());
        }
        executor.execute(() -> settle(new Undecided(xid, sessionId, false, List.copyOf(reservations))));
    }

    private void settle(Undecided batch) {
        try {
            if (sessionAlive(batch.sessionId())) {
                retry(batch);
                return;
            }
            boolean ended = end(batch.xid(), batch.commit());
            if (!batch.commit()) {
                batch.reservations().forEach(Reservation::release);
                forget(batch.xid());
            }
            settled.increment();
            log.warn("Claim batch {} {} ({})", batch.xid(), batch.commit() ? "committed" : "rolled back",
                    ended ? "it was prepared" : "it had already ended");
        } catch (RuntimeException e) {
            log.debug("Claim batch {} not settled yet: {}", batch.xid(), e.toString());
            retry(batch);
        }
    }

    private void retry(Undecided batch) {
        if (!executor.isShutdown()) {
            executor.schedule(() -> settle(batch), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Ends the session unless it is gone already; whether it is still there (ending takes a moment). */
    private boolean sessionAlive(long sessionId) {
        try {
            jdbc.execute("KILL CONNECTION " + sessionId);
        } catch (DataAccessException e) {
            if (errorCode(e) != UNKNOWN_THREAD) {
                throw e;
            }
        }
        Long left = jdbc.queryForObject("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?",
                Long.class, sessionId);
        return left != null && left > 0;
    }

    /** XA COMMIT or XA ROLLBACK; false when MySQL does not know the XID (ended already, or still in its session). */
    private boolean end(String xid, boolean commit) {
        try {
            jdbc.execute("XA " + (commit ? "COMMIT" : "ROLLBACK") + " '" + xid + "'");
            return true;
        } catch (DataAccessException e) {
            if (errorCode(e) == UNKNOWN_XID) {
                return false;
            }
            throw e;
        }
    }

    private void forget(String xid) {
        try {
            redis.opsForZSet().remove(ROLLBACKS, xid);
        } catch (RuntimeException e) {
            log.debug("Could not drop the settled rollback of {} from Redis: {}", xid, e.toString());
        }
    }

    /**
     * Ends the prepared claim batches that no session holds and that are older than any claim may take: their writer
     * died (or lost MySQL) before ending them. Rolled back if a rollback was recorded, committed otherwise. Answers how
     * many it ended. Run by the reaper before it asks MySQL about pending reservations (a prepared batch holds its
     * rows' locks).
     */
    int recover() {
        List<String> xids;
        try {
            xids = jdbc.query("XA RECOVER", (rs, row) -> rs.getString("data"));
        } catch (DataAccessException e) {
            if (errorCode(e) != ACCESS_DENIED) {
                throw e;
            }
            if (!recoverRefused) {
                recoverRefused = true;
                log.error("XA RECOVER refused (the database user needs XA_RECOVER_ADMIN on MySQL 8): prepared claim "
                        + "batches of dead processes are not ended: {}", e.toString());
            }
            return 0;
        }
        long now = clock.millis();
        int ended = 0;
        for (String xid : xids) {
            Long born = bornAt(xid);
            if (born == null || now - born < youngest.toMillis()) {
                continue;
            }
            boolean commit = redis.opsForZSet().score(ROLLBACKS, xid) == null;
            if (end(xid, commit)) {
                ended++;
                settled.increment();
                log.warn("Recovered claim batch {}: {}", xid, commit ? "committed" : "rolled back");
            }
            if (!commit) {
                forget(xid);
            }
        }
        redis.opsForZSet().removeRangeByScore(ROLLBACKS, 0, now - KEEP_DECISIONS.toMillis());
        return ended;
    }

    /** The creation time in a claim batch's XID, or null for another XID. */
    static Long bornAt(String xid) {
        if (xid == null || !xid.startsWith(PREFIX)) {
            return null;
        }
        int dot = xid.indexOf('.', PREFIX.length());
        try {
            return Long.parseLong(xid.substring(PREFIX.length(), dot < 0 ? xid.length() : dot));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int errorCode(DataAccessException e) {
        return e.getMostSpecificCause() instanceof SQLException sql ? sql.getErrorCode() : -1;
    }

    @PreDestroy
    void stop() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("Claim batches still to settle at shutdown are left to the reaper of a running instance");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
