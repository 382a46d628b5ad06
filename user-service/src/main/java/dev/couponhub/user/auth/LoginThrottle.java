package dev.couponhub.user.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.user.config.LoginThrottleProperties;
import dev.couponhub.user.web.UserProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Failed logins per email, in MySQL: after {@code max-failures} (5) within {@code window} (15 minutes, sliding), every
 * login for the email is refused with 429 {@code LOGIN_THROTTLED} before its password is checked, from any address,
 * until the oldest counted failure leaves the window. Emails without an account count the same way, so the answer
 * tells nothing about which emails exist. A successful login clears its email's failures.
 * <p>
 * Exact under concurrency: a login first counts as a failure ({@link #admit} records it before the password is
 * checked) and {@link #succeeded} takes it back. The logins of one email take turns through a row lock on the email's
 * gate row, found by primary key; the gate row is created beforehand in a statement of its own (an {@code INSERT
 * IGNORE} in the same transaction would hold a shared lock and deadlock with a second login upgrading to the
 * exclusive one). The transactions run at READ COMMITTED: each statement sees every failure committed before the gate
 * was locked, and no statement takes gap locks, so logins of different emails never lock each other out. The
 * password check (BCrypt, slow on purpose) runs outside any transaction.
 * <p>
 * Only the SHA-256 of the normalized email is stored.
 */
@Component
class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
    /** Times the gate row may vanish (the purge) between its creation and its lock before we give up. */
    private static final int GATE_ATTEMPTS = 3;

    /** 429 {@code LOGIN_THROTTLED}, with the seconds the caller should wait ({@code Retry-After}). */
    static final class LoginThrottledException extends ApiException {

        private final long retryAfterSeconds;

        LoginThrottledException(long retryAfterSeconds) {
            super(UserProblem.LOGIN_THROTTLED,
                    "Too many failed logins for this email. Try again in " + retryAfterSeconds + " seconds.");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readCommitted;
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;

    LoginThrottle(JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
                  LoginThrottleProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.readCommitted = new TransactionTemplate(transactionManager);
        this.readCommitted.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.maxFailures = properties.maxFailures();
        this.window = properties.window();
        this.clock = clock;
    }

    /**
     * Lets a login for the email go on to its password check, recording it as a failure until
     * {@link #succeeded} takes that back.
     *
     * @throws LoginThrottledException when the email has {@code max-failures} failures within the window
     */
    void admit(String email) {
        String hash = hash(email);
        for (int attempt = 1; attempt <= GATE_ATTEMPTS; attempt++) {
            createGate(hash);
            Long retryAfter = readCommitted.execute(status -> {
                if (!lockGate(hash)) {
                    return null;
                }
                Instant now = now();
                List<Instant> failures = jdbc.query("""
                                select failed_at from login_failures
                                where email_hash = ? and failed_at > ? order by failed_at""",
                        (rs, row) -> rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                        hash, utc(now.minus(window)));
                if (failures.size() >= maxFailures) {
                    // throttled until enough failures left the window that fewer than max-failures remain
                    return retryAfterSeconds(failures.get(failures.size() - maxFailures).plus(window), now);
                }
                jdbc.update("insert into login_failures (email_hash, failed_at) values (?, ?)", hash, utc(now));
                return 0L;
            });
            if (retryAfter == null) {
                continue;
            }
            if (retryAfter > 0) {
                throw new LoginThrottledException(retryAfter);
            }
            return;
        }
        throw new IllegalStateException("the login gate of an email was deleted " + GATE_ATTEMPTS + " times in a row");
    }

    /** The login's password was right: the email's failures are cleared. */
    void succeeded(String email) {
        String hash = hash(email);
        readCommitted.executeWithoutResult(status -> {
            lockGate(hash);
            jdbc.update("delete from login_failures where email_hash = ?", hash);
        });
    }

    /** Deletes failures that left the window, and gates of emails without failures. */
    @Scheduled(initialDelayString = "${couponhub.login-throttle.purge-interval:5m}",
            fixedDelayString = "${couponhub.login-throttle.purge-interval:5m}")
    void purge() {
        LocalDateTime before = utc(now().minus(window));
        int failures = readCommitted.execute(status ->
                jdbc.update("delete from login_failures where failed_at <= ?", before));
        int gates = readCommitted.execute(status -> jdbc.update("""
                delete from login_throttle_gates
                where created_at <= ?
                  and not exists (select 1 from login_failures f where f.email_hash = login_throttle_gates.email_hash)""",
                before));
        if (failures + gates > 0) {
            log.info("Purged {} failed logins and {} login gates older than {}", failures, gates, before);
        }
    }

    /** In a statement of its own (autocommit), so that no shared lock of a duplicate key stays held. */
    private void createGate(String hash) {
        jdbc.update("insert ignore into login_throttle_gates (email_hash, created_at) values (?, ?)", hash, utc(now()));
    }

    /** @return false when the gate row is gone (purged since it was created) */
    private boolean lockGate(String hash) {
        return !jdbc.queryForList("select email_hash from login_throttle_gates where email_hash = ? for update",
                String.class, hash).isEmpty();
    }

    /** Whole seconds until {@code until}, rounded up, at least 1. */
    static long retryAfterSeconds(Instant until, Instant now) {
        Duration left = Duration.between(now, until);
        long seconds = left.getSeconds() + (left.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    /** SHA-256 hex of the email normalized as accounts normalize it (trimmed, lower case). */
    static String hash(String email) {
        String normalized = email.strip().toLowerCase(Locale.ROOT);
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
