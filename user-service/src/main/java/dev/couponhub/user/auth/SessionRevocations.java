package dev.couponhub.user.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.couponhub.user.config.JwtProperties;
import dev.couponhub.user.config.SessionRevocationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Ending sessions, and the record of ended sessions that gateways poll to refuse their access tokens
 * ({@code sid} claim). A session is a refresh-token family; ending it revokes its refresh tokens and, when it still
 * had one that was not revoked, writes one {@code session_revocations} row in the same transaction.
 * <p>
 * Readers page by id ({@code id > after}), so a row must never become visible after a row with a larger id: every
 * writer locks the single {@code session_revocation_writer} row (by primary key) before it inserts and holds it until
 * its transaction commits, which makes commit order the id order. Revocations are rare (a logout, a password change),
 * so serializing them costs nothing that matters.
 */
@Component
class SessionRevocations {

    private static final Logger log = LoggerFactory.getLogger(SessionRevocations.class);

    /** One ended session. */
    record Revocation(long id, String sessionId, long userId, Instant revokedAt) {
    }

    private final JdbcTemplate jdbc;
    private final RefreshTokenRepository refreshTokens;
    private final Duration retention;
    private final Clock clock;

    SessionRevocations(JdbcTemplate jdbc, RefreshTokenRepository refreshTokens, JwtProperties jwt,
                       SessionRevocationProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.refreshTokens = refreshTokens;
        this.retention = jwt.accessTokenTtl().plus(properties.retentionMargin());
        this.clock = clock;
    }

    /**
     * Ends one session inside the caller's transaction: revokes every refresh token of the family and records the
     * revocation, unless the family was already revoked.
     *
     * @return whether the session was still open (and is now recorded as ended)
     */
    boolean endSession(String familyId, long userId, Instant now) {
        requireTransaction();
        if (refreshTokens.revokeFamily(familyId, now) == 0) {
            return false;
        }
        record(List.of(familyId), userId, now);
        return true;
    }

    /**
     * Ends every session of the user that still has a refresh token that is not revoked, inside the caller's
     * transaction; one revocation row each.
     *
     * @return how many sessions ended
     */
    int endAllSessionsOf(long userId, Instant now) {
        requireTransaction();
        // the open families' tokens stay locked until commit, so each of them is revoked here and by no one else
        List<String> families = refreshTokens.lockOpenFamiliesOfUser(userId);
        if (families.isEmpty()) {
            return 0;
        }
        refreshTokens.revokeAllOfUser(userId, now);
        record(families, userId, now);
        return families.size();
    }

    /**
     * Takes the writer row, then inserts. The writer row is always the last lock a transaction takes (after the
     * refresh tokens it revoked), so its holder never waits for another lock before it commits.
     */
    private void record(List<String> families, long userId, Instant now) {
        jdbc.queryForObject("select id from session_revocation_writer where id = 1 for update", Integer.class);
        LocalDateTime revokedAt = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
        jdbc.batchUpdate("insert into session_revocations (session_id, user_id, revoked_at) values (?, ?, ?)",
                families.stream().map(familyId -> new Object[] {familyId, userId, revokedAt}).toList());
    }

    /** At most {@code limit} revocations with an id above {@code after}, ascending (a range scan of the primary key). */
    List<Revocation> after(long after, int limit) {
        return jdbc.query("""
                        select id, session_id, user_id, revoked_at from session_revocations
                        where id > ? order by id limit ?""",
                (rs, row) -> new Revocation(rs.getLong(1), rs.getString(2), rs.getLong(3),
                        rs.getObject(4, LocalDateTime.class).toInstant(ZoneOffset.UTC)),
                after, limit);
    }

    /**
     * Deletes the revocations that no access token needs any more: older than the access-token lifetime plus
     * {@code couponhub.session-revocations.retention-margin}.
     */
    @Scheduled(initialDelayString = "${couponhub.session-revocations.purge-interval:1m}",
            fixedDelayString = "${couponhub.session-revocations.purge-interval:1m}")
    void purge() {
        Instant before = clock.instant().truncatedTo(ChronoUnit.MICROS).minus(retention);
        int deleted = jdbc.update("delete from session_revocations where revoked_at < ?",
                LocalDateTime.ofInstant(before, ZoneOffset.UTC));
        if (deleted > 0) {
            log.info("Purged {} session revocations older than {}", deleted, before);
        }
    }

    private static void requireTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("a session ends inside the transaction that revokes its refresh tokens");
        }
    }
}
