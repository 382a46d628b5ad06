package dev.couponhub.notification.mail;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.couponhub.notification.config.NotificationProperties;
import dev.couponhub.notification.inbox.SqlTime;
import dev.couponhub.notification.user.Recipient;
import dev.couponhub.notification.user.UserDirectory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the mail outbox, at most one mail per recipient per {@code mail.gather-window}, each carrying all of that
 * recipient's due alerts.
 *
 * <p>One run claims a batch of due rows ({@code FOR UPDATE SKIP LOCKED}, so instances never claim the same rows) and,
 * in the same transaction, locks their recipients' {@code mail_recipients} rows (in user id order, so that instances
 * deciding about the same recipient take turns and never deadlock) to see when each was last mailed. The rows of a
 * recipient mailed within the window, or whose mail another batch is sending right now, are postponed to when the
 * window closes, with one statement; they are then claimed again and gathered with whatever else arrived meanwhile.
 * Every other recipient is mailed now: their rows get a lease in {@code next_attempt_at} (a crashed instance's rows
 * come back after it), the recipient is marked as being sent to until the lease ends, and, when the batch was full,
 * their other due rows are claimed too, so that a batch boundary never splits one recipient's alerts over two mails.
 *
 * <p>Then the recipients are looked up with one {@code GetUsers} call, one mail per recipient is sent (all over one SMTP
 * connection), and one transaction marks the rows sent and records when each recipient was mailed. A failed mail is
 * retried with an exponential back-off, without limit: it is never lost. A recipient without an open account is
 * skipped. So no alert is mailed twice (unless an instance stops between sending and marking), a recipient gets at most
 * one alert mail per window (as long as sending one batch takes less than a window) and an alert whose mail does not
 * fail waits at most about {@code gather-window + interval}.
 */
@Component
public class MailRelay {

    private static final Logger log = LoggerFactory.getLogger(MailRelay.class);
    private static final int ERROR_LENGTH = 500;

    /** The system property Jakarta Mail reads to find its {@code StreamProvider} before scanning the class path. */
    static final String STREAM_PROVIDER_PROPERTY = "jakarta.mail.util.StreamProvider";
    static final String STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

    static {
        // Jakarta Mail 2.x looks its StreamProvider up again each time a message is written or a header decoded, with
        // a ServiceLoader that reads every jar of the service: over half of this service's CPU during a stampede
        // (issue 13's profile). Named here, the look-up is a loaded class's constructor.
        if (System.getProperty(STREAM_PROVIDER_PROPERTY) == null) {
            System.setProperty(STREAM_PROVIDER_PROPERTY, STREAM_PROVIDER);
        }
    }

    private record Due(long id, long notificationId, long userId, int attempts) {
    }

    private record Content(String title, String body, Instant createdAt) {
    }

    /** When a recipient was last mailed, and until when a mail to them is being sent (either may be null). */
    private record RecipientState(Instant lastMailedAt, Instant sendingUntil) {
    }

    /**
     * One claim.
     *
     * @param claimed how many due rows the batch query found (postponed ones included)
     * @param toSend  the leased rows to mail now, by recipient
     */
    private record Claim(int claimed, Map<Long, List<Due>> toSend) {
    }

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate tx;
    private final UserDirectory users;
    private final MailRenderer renderer;
    private final JavaMailSender mailSender;
    private final NotificationProperties.Mail properties;
    private final InternetAddress from;
    private final Clock clock;
    private final Counter sent;
    private final Counter failed;
    private final Counter skipped;
    private final Counter postponed;
    private volatile boolean failing;

    MailRelay(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, UserDirectory users,
              MailRenderer renderer, JavaMailSender mailSender, NotificationProperties properties, Clock clock,
              MeterRegistry meters) throws MessagingException {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.tx = new TransactionTemplate(transactionManager);
        this.tx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.users = users;
        this.renderer = renderer;
        this.mailSender = mailSender;
        this.properties = properties.mail();
        this.from = new InternetAddress(this.properties.from(), true);
        this.clock = clock;
        this.sent = Counter.builder("couponhub.mails.sent").description("Alert mails accepted by the SMTP server")
                .register(meters);
        this.failed = Counter.builder("couponhub.mails.failed")
                .description("Alert mail attempts that failed (they are retried)").register(meters);
        this.skipped = Counter.builder("couponhub.mails.skipped")
                .description("Alerts not mailed: the recipient has no open account").register(meters);
        this.postponed = Counter.builder("couponhub.mails.postponed")
                .description("Alerts held back to be gathered: their recipient was mailed within the gather window")
                .register(meters);
    }

    /** For the scheduler: drains full batches; reports trouble once rather than on every run. */
    public void runScheduled() {
        try {
            for (int batch = 0; batch < 50; batch++) {
                if (sendOnce() < batchLimit()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            log.warn("Mail relay run failed; its mails are retried after their lease: {}", e.getClass().getName());
            log.debug("Mail relay run failed", e);
        }
    }

    /** One run: claims, sends and marks at most one batch; answers how many due rows it claimed. */
    int sendOnce() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Claim claim = claim(now);
        Map<Long, List<Due>> toSend = claim.toSend();
        if (toSend.isEmpty()) {
            return claim.claimed();
        }
        Map<Long, Content> contents = contents(toSend);
        Map<Long, Recipient> recipients;
        try {
            recipients = users.recipients(toSend.keySet());
        } catch (RuntimeException e) {
            finish(toSend.keySet(), Map.of(), List.of(), toSend, "user-service: " + e.getClass().getSimpleName());
            report("cannot look up recipients", e);
            return claim.claimed();
        }
        List<Long> skippedIds = new ArrayList<>();
        Map<Long, List<Due>> unsent = new LinkedHashMap<>();
        Map<MimeMessage, Long> messages = new IdentityHashMap<>();
        Map<Long, List<Due>> mailed = new LinkedHashMap<>();
        toSend.forEach((userId, rows) -> {
            Recipient recipient = recipients.get(userId);
            List<Due> withContent = new ArrayList<>();
            for (Due row : rows) {
                if (recipient == null || !contents.containsKey(row.notificationId())) {
                    skippedIds.add(row.id());
                } else {
                    withContent.add(row);
                }
            }
            if (withContent.isEmpty()) {
                return;
            }
            withContent.sort(Comparator.comparing((Due row) -> contents.get(row.notificationId()).createdAt())
                    .thenComparingLong(Due::notificationId));
            try {
                messages.put(build(recipient, withContent.stream().map(row -> contents.get(row.notificationId()))
                        .toList()), userId);
                mailed.put(userId, withContent);
            } catch (MessagingException | RuntimeException e) {
                unsent.put(userId, withContent);
                log.warn("Could not build the mail of recipient {} ({} alert(s)): {}", userId, withContent.size(),
                        e.getClass().getSimpleName());
            }
        });
        Set<Object> failedMessages = send(messages.keySet().toArray(MimeMessage[]::new));
        Map<Long, List<Due>> delivered = new LinkedHashMap<>();
        int failedMails = unsent.size();
        for (Map.Entry<MimeMessage, Long> message : messages.entrySet()) {
            Long userId = message.getValue();
            if (failedMessages.contains(message.getKey())) {
                unsent.put(userId, mailed.get(userId));
                failedMails++;
            } else {
                delivered.put(userId, mailed.get(userId));
            }
        }
        finish(toSend.keySet(), delivered, skippedIds, unsent, "SMTP");
        sent.increment(delivered.size());
        skipped.increment(skippedIds.size());
        failed.increment(failedMails);
        if (unsent.isEmpty() && failing) {
            log.info("Mail relay recovered");
            failing = false;
        }
        return claim.claimed();
    }

    private int batchLimit() {
        return Math.min(properties.batchSize(), UserDirectory.BATCH_LIMIT);
    }

    /**
     * Locks due rows that no other instance holds, decides per recipient whether to mail now or to gather, postpones
     * the rows to gather and leases the rows to mail now.
     */
    private Claim claim(Instant now) {
        int limit = batchLimit();
        return tx.execute(status -> {
            List<Due> rows = jdbc.query("SELECT id, notification_id, user_id, attempts FROM mail_outbox "
                            + "WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ? "
                            + "FOR UPDATE SKIP LOCKED", (rs, n) -> due(rs), SqlTime.utc(now), limit);
            if (rows.isEmpty()) {
                return new Claim(0, Map.of());
            }
            Map<Long, List<Due>> byUser = new LinkedHashMap<>();
            rows.forEach(row -> byUser.computeIfAbsent(row.userId(), id -> new ArrayList<>()).add(row));
            Map<Long, RecipientState> states = lockRecipients(byUser.keySet());
            Instant windowStart = now.minus(properties.gatherWindow());
            List<Long> postponedIds = new ArrayList<>();
            Map<Long, List<Due>> toSend = new LinkedHashMap<>();
            byUser.forEach((userId, userRows) -> {
                RecipientState state = states.get(userId);
                boolean sending = state.sendingUntil() != null && state.sendingUntil().isAfter(now);
                boolean mailedRecently = state.lastMailedAt() != null && state.lastMailedAt().isAfter(windowStart);
                if (sending || mailedRecently) {
                    userRows.forEach(row -> postponedIds.add(row.id()));
                } else {
                    toSend.put(userId, userRows);
                }
            });
            if (!postponedIds.isEmpty()) {
                postpone(postponedIds, now);
                postponed.increment(postponedIds.size());
            }
            if (toSend.isEmpty()) {
                return new Claim(rows.size(), Map.of());
            }
            if (rows.size() == limit) {
                claimTheirOtherDueRows(toSend, rows, now, limit);
            }
            Instant leaseEnd = now.plus(properties.lease());
            named.update("UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = :leaseEnd "
                    + "WHERE id IN (:ids)", Map.of("leaseEnd", SqlTime.utc(leaseEnd), "ids", ids(toSend)));
            named.update("UPDATE mail_recipients SET sending_until = :leaseEnd WHERE user_id IN (:users)",
                    Map.of("leaseEnd", SqlTime.utc(leaseEnd), "users", List.copyOf(toSend.keySet())));
            return new Claim(rows.size(), toSend);
        });
    }

    /**
     * Creates the recipients' rows where missing and locks them all, in user id order, with one statement; answers
     * their state. Holding these locks until the claim commits makes a concurrent claim (another batch, another
     * instance) about the same recipient wait, and then see {@code sending_until}.
     */
    private Map<Long, RecipientState> lockRecipients(Set<Long> userIds) {
        List<Long> sorted = new ArrayList<>(new TreeSet<>(userIds));
        jdbc.update("INSERT INTO mail_recipients (user_id) VALUES "
                + String.join(", ", Collections.nCopies(sorted.size(), "(?)"))
                + " ON DUPLICATE KEY UPDATE user_id = user_id", sorted.toArray());
        Map<Long, RecipientState> states = new HashMap<>();
        named.query("SELECT user_id, last_mailed_at, sending_until FROM mail_recipients WHERE user_id IN (:users)",
                Map.of("users", sorted), rs -> {
                    states.put(rs.getLong("user_id"), new RecipientState(SqlTime.instant(rs, "last_mailed_at"),
                            SqlTime.instant(rs, "sending_until")));
                });
        return states;
    }

    /**
     * Holds rows back until their recipient's window closes: {@code last_mailed_at + gather-window}, or, while another
     * batch is sending to the recipient (its mail time not known yet), one window from now; they are looked at again
     * then.
     */
    private void postpone(List<Long> ids, Instant now) {
        named.update("UPDATE mail_outbox m JOIN mail_recipients r ON r.user_id = m.user_id "
                + "SET m.next_attempt_at = CASE "
                + "WHEN r.sending_until > :now OR r.last_mailed_at IS NULL THEN :windowFromNow "
                + "ELSE DATE_ADD(r.last_mailed_at, INTERVAL :windowMicros MICROSECOND) END "
                + "WHERE m.id IN (:ids)", Map.of("now", SqlTime.utc(now),
                "windowFromNow", SqlTime.utc(now.plus(properties.gatherWindow())),
                "windowMicros", properties.gatherWindow().toNanos() / 1000, "ids", ids));
    }

    /**
     * A full batch may have left out due rows of the recipients mailed now (rows are claimed in time order, and one
     * recipient's rows are not next to each other): they join this mail rather than wait for another window. Found by
     * recipient (ix_mail_outbox_user_status); no order, the mail sorts its alerts anyway.
     */
    private void claimTheirOtherDueRows(Map<Long, List<Due>> toSend, List<Due> claimed, Instant now, int limit) {
        List<Due> more = named.query("SELECT id, notification_id, user_id, attempts FROM mail_outbox "
                        + "WHERE user_id IN (:users) AND status = 'PENDING' AND next_attempt_at <= :now "
                        + "AND id NOT IN (:claimed) LIMIT :limit FOR UPDATE SKIP LOCKED",
                Map.of("users", List.copyOf(toSend.keySet()), "now", SqlTime.utc(now),
                        "claimed", claimed.stream().map(Due::id).toList(), "limit", limit),
                (rs, n) -> due(rs));
        more.forEach(row -> toSend.get(row.userId()).add(row));
    }

    private static Due due(ResultSet rs) throws SQLException {
        return new Due(rs.getLong("id"), rs.getLong("notification_id"), rs.getLong("user_id"),
                rs.getInt("attempts") + 1);
    }

    private static List<Long> ids(Map<Long, List<Due>> rows) {
        List<Long> ids = new ArrayList<>();
        rows.values().forEach(userRows -> userRows.forEach(row -> ids.add(row.id())));
        return ids;
    }

    private Map<Long, Content> contents(Map<Long, List<Due>> toSend) {
        List<Long> notificationIds = new ArrayList<>();
        toSend.values().forEach(rows -> rows.forEach(row -> notificationIds.add(row.notificationId())));
        Map<Long, Content> contents = new HashMap<>();
        named.query("SELECT id, title, body, created_at FROM notifications WHERE id IN (:ids)",
                Map.of("ids", notificationIds), rs -> {
                    contents.put(rs.getLong("id"), new Content(rs.getString("title"), rs.getString("body"),
                            SqlTime.instant(rs, "created_at")));
                });
        return contents;
    }

    /**
     * One transaction for the outcome of a batch: mailed rows SENT and their recipients' mail time recorded, skipped
     * rows SKIPPED, the rows of failed mails retried with back-off; no recipient of the batch is being sent to any
     * more. The recipients' rows are updated by one statement (in user id order, as the claim locks them).
     */
    private void finish(Set<Long> recipients, Map<Long, List<Due>> delivered, List<Long> skippedIds,
                        Map<Long, List<Due>> unsent, String error) {
        Instant done = clock.instant().truncatedTo(ChronoUnit.MICROS);
        tx.executeWithoutResult(status -> {
            mark(ids(delivered), "SENT", done);
            mark(skippedIds, "SKIPPED", done);
            retryLater(unsent.values().stream().flatMap(List::stream).toList(), error, done);
            Map<String, Object> parameters = new HashMap<>();
            parameters.put("users", List.copyOf(new TreeSet<>(recipients)));
            parameters.put("done", SqlTime.utc(done));
            parameters.put("delivered", delivered.isEmpty() ? List.of(0L) : List.copyOf(delivered.keySet()));
            named.update("UPDATE mail_recipients SET last_mailed_at = CASE WHEN user_id IN (:delivered) THEN :done "
                    + "ELSE last_mailed_at END, sending_until = NULL WHERE user_id IN (:users)", parameters);
        });
    }

    /** Answers the messages that failed (all of them when the server could not be reached). */
    private Set<Object> send(MimeMessage[] messages) {
        if (messages.length == 0) {
            return Set.of();
        }
        try {
            mailSender.send(messages);
            return Set.of();
        } catch (MailSendException e) {
            report("SMTP refused or unreachable", e);
            if (e.getFailedMessages().isEmpty()) {
                return Set.of((Object[]) messages);
            }
            return Set.copyOf(e.getFailedMessages().keySet());
        } catch (MailException e) {
            report("SMTP failed", e);
            return Set.of((Object[]) messages);
        }
    }

    private MimeMessage build(Recipient recipient, List<Content> alerts) throws MessagingException {
        MailRenderer.Rendered mail = renderer.render(recipient.name(), alerts.stream()
                .map(alert -> new MailRenderer.Alert(alert.title(), alert.body())).toList());
        MimeMessage message = mailSender.createMimeMessage();
        message.setFrom(from);
        message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(recipient.email(), true));
        message.setSubject(mail.subject(), "UTF-8");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(mail.text(), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        message.setContent(alternative);
        message.setSentDate(java.util.Date.from(clock.instant()));
        return message;
    }

    private void mark(List<Long> ids, String status, Instant at) {
        if (ids.isEmpty()) {
            return;
        }
        named.update("UPDATE mail_outbox SET status = :status, sent_at = :at, last_error = NULL WHERE id IN (:ids)",
                Map.of("status", status, "at", SqlTime.utc(at), "ids", ids));
    }

    private void retryLater(List<Due> rows, String error, Instant now) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("UPDATE mail_outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?",
                rows.stream().map(row -> new Object[] {SqlTime.utc(now.plus(backoff(row.attempts(),
                                properties.initialBackoff(), properties.maxBackoff()))),
                        error.length() > ERROR_LENGTH ? error.substring(0, ERROR_LENGTH) : error, row.id()}).toList());
    }

    /** initialBackoff doubled for each further attempt, at most maxBackoff. */
    static Duration backoff(int attempts, Duration initial, Duration max) {
        Duration wait = initial;
        for (int i = 1; i < attempts && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }

    private void report(String what, Exception e) {
        if (!failing) {
            log.warn("Mail relay: {}; the mails are retried with back-off: {}", what, e.getClass().getSimpleName());
            failing = true;
        } else {
            log.debug("Mail relay still failing: {}: {}", what, e.toString());
        }
    }
}
