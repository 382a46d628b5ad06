package dev.couponhub.notification.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 * Sends the alert mails, queued per recipient ({@code mail_recipients}, see {@code V3__mail_queue_per_recipient.sql}):
 * at most one mail per recipient per {@code mail.gather-window}, each carrying that recipient's alerts not mailed yet
 * (at most {@code mail.max-alerts-per-mail}; the rest follow at once in further mails).
 *
 * <p>One run claims a batch of recipients whose mail is due ({@code FOR UPDATE SKIP LOCKED}, so instances never claim
 * the same ones), leases them ({@code mail_due_at} moves to the end of the lease: a crashed instance's mails come due
 * again after it) and, still holding their rows, reads the ids of their alerts above {@code mailed_through}. Alert
 * writers lock a recipient's row before they insert the recipient's alerts, so no alert with a lower id can appear
 * later. Then the recipients are looked up with one {@code GetUsers} call, one mail per recipient is sent (all over one
 * SMTP connection), and one transaction records the outcome per recipient: mailed (or skipped: no open account) through
 * the last alert read, and the next mail due when the gather window closes if more alerts arrived meanwhile; a failed
 * mail is retried with an exponential back-off, without limit: it is never lost. So no alert is mailed twice (unless
 * an instance stops between sending and recording, or a send outlasts the lease) and a recipient gets at most one mail
 * per window (unless their alerts exceed one mail) and an alert whose mail does not fail waits at most about
 * {@code gather-window + interval}.
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

    /**
     * A claimed recipient.
     *
     * @param alertIds their alerts to mail now, oldest first (empty when a repeated event made the mail due)
     * @param more     whether more alerts than one mail carries are waiting
     */
    private record Due(long userId, List<Long> alertIds, boolean more) {

        long through() {
            return alertIds.get(alertIds.size() - 1);
        }
    }

    private record Content(String title, String body, Instant createdAt) {
    }

    /** What became of a claimed recipient's mail. */
    private enum Outcome { DELIVERED, SKIPPED, FAILED, NOTHING }

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

    /** One run: claims, sends and records at most one batch of recipients; answers how many it claimed. */
    int sendOnce() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<Due> claimed = claim(now);
        if (claimed.isEmpty()) {
            return 0;
        }
        Map<Long, Outcome> outcomes = new HashMap<>();
        Map<Long, Due> toSend = new LinkedHashMap<>();
        claimed.forEach(due -> {
            if (due.alertIds().isEmpty()) {
                outcomes.put(due.userId(), Outcome.NOTHING);
            } else {
                toSend.put(due.userId(), due);
            }
        });
        if (toSend.isEmpty()) {
            finish(claimed, outcomes, null);
            return claimed.size();
        }
        Map<Long, Content> contents = contents(toSend.values());
        Map<Long, Recipient> recipients;
        try {
            recipients = users.recipients(toSend.keySet());
        } catch (RuntimeException e) {
            toSend.keySet().forEach(userId -> outcomes.put(userId, Outcome.FAILED));
            finish(claimed, outcomes, "user-service: " + e.getClass().getSimpleName());
            report("cannot look up recipients", e);
            return claimed.size();
        }
        Map<MimeMessage, Long> messages = new IdentityHashMap<>();
        int skippedAlerts = 0;
        int failedMails = 0;
        for (Due due : toSend.values()) {
            Recipient recipient = recipients.get(due.userId());
            List<Content> alerts = due.alertIds().stream().map(contents::get).filter(Objects::nonNull)
                    .sorted(Comparator.comparing(Content::createdAt)).toList();
            if (recipient == null || alerts.isEmpty()) {
                outcomes.put(due.userId(), Outcome.SKIPPED);
                skippedAlerts += due.alertIds().size();
                continue;
            }
            try {
                messages.put(build(recipient, alerts), due.userId());
            } catch (MessagingException | RuntimeException e) {
                outcomes.put(due.userId(), Outcome.FAILED);
                failedMails++;
                log.warn("Could not build the mail of recipient {} ({} alert(s)): {}", due.userId(), alerts.size(),
                        e.getClass().getSimpleName());
            }
        }
        Set<Object> failedMessages = send(messages.keySet().toArray(MimeMessage[]::new));
        int delivered = 0;
        for (Map.Entry<MimeMessage, Long> message : messages.entrySet()) {
            if (failedMessages.contains(message.getKey())) {
                outcomes.put(message.getValue(), Outcome.FAILED);
                failedMails++;
            } else {
                outcomes.put(message.getValue(), Outcome.DELIVERED);
                delivered++;
            }
        }
        finish(claimed, outcomes, "SMTP");
        sent.increment(delivered);
        skipped.increment(skippedAlerts);
        failed.increment(failedMails);
        if (failedMails == 0 && failing) {
            log.info("Mail relay recovered");
            failing = false;
        }
        return claimed.size();
    }

    private int batchLimit() {
        return Math.min(properties.batchSize(), UserDirectory.BATCH_LIMIT);
    }

    /**
     * Locks recipients whose mail is due and that no other instance holds, leases them and reads which of their alerts
     * to mail: the oldest ones above {@code mailed_through}, at most one mail's worth (one more is read to know whether
     * more are waiting).
     */
    private List<Due> claim(Instant now) {
        int limit = batchLimit();
        int perMail = properties.maxAlertsPerMail();
        return tx.execute(status -> {
            List<Long> userIds = jdbc.queryForList("SELECT user_id FROM mail_recipients WHERE mail_due_at <= ? "
                    + "ORDER BY mail_due_at LIMIT ? FOR UPDATE SKIP LOCKED", Long.class, SqlTime.utc(now), limit);
            if (userIds.isEmpty()) {
                return List.of();
            }
            named.update("UPDATE mail_recipients SET mail_due_at = :leaseEnd WHERE user_id IN (:users)",
                    Map.of("leaseEnd", SqlTime.utc(now.plus(properties.lease())), "users", userIds));
            Map<Long, List<Long>> alertIds = new LinkedHashMap<>();
            userIds.forEach(userId -> alertIds.put(userId, new ArrayList<>()));
            named.query("SELECT id, user_id FROM (SELECT n.id, n.user_id, "
                            + "ROW_NUMBER() OVER (PARTITION BY n.user_id ORDER BY n.id) AS position "
                            + "FROM mail_recipients r JOIN notifications n ON n.user_id = r.user_id "
                            + "AND n.id > r.mailed_through WHERE r.user_id IN (:users)) waiting "
                            + "WHERE position <= :most ORDER BY user_id, id",
                    Map.of("users", userIds, "most", perMail + 1),
                    rs -> {
                        alertIds.get(rs.getLong("user_id")).add(rs.getLong("id"));
                    });
            List<Due> claimed = new ArrayList<>();
            alertIds.forEach((userId, ids) -> {
                boolean more = ids.size() > perMail;
                claimed.add(new Due(userId, more ? List.copyOf(ids.subList(0, perMail)) : List.copyOf(ids), more));
            });
            return claimed;
        });
    }

    private Map<Long, Content> contents(Collection<Due> toSend) {
        List<Long> notificationIds = new ArrayList<>();
        toSend.forEach(due -> notificationIds.addAll(due.alertIds()));
        Map<Long, Content> contents = new HashMap<>();
        named.query("SELECT id, title, body, created_at FROM notifications WHERE id IN (:ids)",
                Map.of("ids", notificationIds), rs -> {
                    contents.put(rs.getLong("id"), new Content(rs.getString("title"), rs.getString("body"),
                            SqlTime.instant(rs, "created_at")));
                });
        return contents;
    }

    /** A recipient's row as the outcome is recorded. */
    private record Queued(long mailedThrough, Instant lastMailedAt, int attempts) {
    }

    /**
     * One transaction records the outcome of a batch. The recipients' rows are locked first (in user id order, as the
     * alert writers lock them), then their newest alert is read: an alert written while the mail was being sent makes
     * the next mail due when the window closes (or at once when no mail went out), and more alerts than one mail
     * carries make it due at once.
     */
    private void finish(List<Due> claimed, Map<Long, Outcome> outcomes, String error) {
        Instant done = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<Long> userIds = claimed.stream().map(Due::userId).sorted().toList();
        String lastError = error == null || error.length() <= ERROR_LENGTH ? error : error.substring(0, ERROR_LENGTH);
        tx.executeWithoutResult(status -> {
            Map<Long, Queued> queued = new HashMap<>();
            named.query("SELECT user_id, mailed_through, last_mailed_at, attempts FROM mail_recipients "
                    + "WHERE user_id IN (:users) ORDER BY user_id FOR UPDATE", Map.of("users", userIds), rs -> {
                        queued.put(rs.getLong("user_id"), new Queued(rs.getLong("mailed_through"),
                                SqlTime.instant(rs, "last_mailed_at"), rs.getInt("attempts")));
                    });
            Map<Long, Long> newest = new HashMap<>();
            named.query("SELECT user_id, MAX(id) AS newest FROM notifications WHERE user_id IN (:users) "
                    + "GROUP BY user_id", Map.of("users", userIds), rs -> {
                        newest.put(rs.getLong("user_id"), rs.getLong("newest"));
                    });
            List<Object[]> updates = new ArrayList<>();
            for (Due due : claimed) {
                Queued row = queued.get(due.userId());
                if (row == null) {
                    continue;
                }
                Outcome outcome = outcomes.get(due.userId());
                long waiting = newest.getOrDefault(due.userId(), 0L);
                long through = row.mailedThrough();
                Instant lastMailed = row.lastMailedAt();
                int attempts = 0;
                String rowError = null;
                Instant dueAt;
                if (outcome == Outcome.FAILED) {
                    attempts = row.attempts() + 1;
                    rowError = lastError;
                    dueAt = done.plus(backoff(attempts, properties.initialBackoff(), properties.maxBackoff()));
                } else {
                    if (outcome != Outcome.NOTHING) {
                        through = Math.max(through, due.through());
                    }
                    if (outcome == Outcome.DELIVERED) {
                        lastMailed = done;
                    }
                    if (waiting <= through) {
                        dueAt = null;
                    } else if (due.more()) {
                        dueAt = done;
                    } else {
                        dueAt = lastMailed == null ? done : later(done, lastMailed.plus(properties.gatherWindow()));
                    }
                }
                updates.add(new Object[] {due.userId(), through, utcOrNull(lastMailed), attempts, rowError,
                        utcOrNull(dueAt)});
            }
            updates.sort(Comparator.comparingLong(update -> (Long) update[0]));
            // every row exists and is locked (above): the upsert updates them all, and as one batch of inserts the
            // driver sends it as one multi-row statement with one answer (a batch of UPDATEs went as a multi-statement
            // query with an answer per row to read, and two more round trips to switch multi-statements on and off)
            jdbc.batchUpdate("INSERT INTO mail_recipients "
                    + "(user_id, mailed_through, last_mailed_at, attempts, last_error, mail_due_at) VALUES (?, ?, ?, ?, ?, ?) "
                    + "ON DUPLICATE KEY UPDATE mailed_through = VALUES(mailed_through), "
                    + "last_mailed_at = VALUES(last_mailed_at), attempts = VALUES(attempts), "
                    + "last_error = VALUES(last_error), mail_due_at = VALUES(mail_due_at)", updates);
        });
    }

    private static LocalDateTime utcOrNull(Instant instant) {
        return instant == null ? null : SqlTime.utc(instant);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
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
