package dev.couponhub.notification.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
 * Sends the mail outbox. One run claims a batch of due rows ({@code FOR UPDATE SKIP LOCKED}, then a lease in
 * {@code next_attempt_at}, so instances never claim the same rows and a crashed instance's rows come back after the
 * lease), looks up the recipients with one {@code GetUsers} call, sends the mails over one SMTP connection and marks
 * them sent. A failed mail is retried with an exponential back-off, without limit: it is never lost. A recipient
 * without an open account is skipped.
 */
@Component
public class MailRelay {

    private static final Logger log = LoggerFactory.getLogger(MailRelay.class);
    private static final int ERROR_LENGTH = 500;

    private record Due(long id, long notificationId, long userId, int attempts) {
    }

    private record Content(String title, String body) {
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
                .description("Alert mails not sent: the recipient has no open account").register(meters);
    }

    /** For the scheduler: drains full batches; reports trouble once rather than on every run. */
    public void runScheduled() {
        try {
            for (int batch = 0; batch < 50; batch++) {
                if (sendOnce() < properties.batchSize()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            log.warn("Mail relay run failed; its mails are retried after their lease: {}", e.getClass().getName());
            log.debug("Mail relay run failed", e);
        }
    }

    /** One run: claims, sends and marks at most one batch; answers how many rows it claimed. */
    int sendOnce() {
        Instant now = clock.instant();
        List<Due> due = claim(now);
        if (due.isEmpty()) {
            return 0;
        }
        List<Long> notificationIds = due.stream().map(Due::notificationId).toList();
        Map<Long, Content> contents = new HashMap<>();
        named.query("SELECT id, title, body FROM notifications WHERE id IN (:ids)", Map.of("ids", notificationIds),
                rs -> {
                    contents.put(rs.getLong("id"), new Content(rs.getString("title"), rs.getString("body")));
                });
        Map<Long, Recipient> recipients;
        try {
            recipients = users.recipients(due.stream().map(Due::userId).distinct().toList());
        } catch (RuntimeException e) {
            retryLater(due, "user-service: " + e.getClass().getSimpleName());
            report("cannot look up recipients", e);
            return due.size();
        }
        List<Long> skippedIds = new ArrayList<>();
        Map<MimeMessage, Due> messages = new IdentityHashMap<>();
        List<Due> unbuildable = new ArrayList<>();
        for (Due row : due) {
            Recipient recipient = recipients.get(row.userId());
            Content content = contents.get(row.notificationId());
            if (recipient == null || content == null) {
                skippedIds.add(row.id());
                continue;
            }
            try {
                messages.put(build(recipient, content), row);
            } catch (MessagingException | RuntimeException e) {
                unbuildable.add(row);
                log.warn("Could not build the mail of outbox row {}: {}", row.id(), e.getClass().getSimpleName());
            }
        }
        Set<Object> failedMessages = send(messages.keySet().toArray(MimeMessage[]::new));
        List<Long> sentIds = new ArrayList<>();
        List<Due> failedRows = new ArrayList<>(unbuildable);
        messages.forEach((message, row) -> {
            if (failedMessages.contains(message)) {
                failedRows.add(row);
            } else {
                sentIds.add(row.id());
            }
        });
        Instant done = clock.instant();
        mark(sentIds, "SENT", done);
        mark(skippedIds, "SKIPPED", done);
        retryLater(failedRows, "SMTP");
        sent.increment(sentIds.size());
        skipped.increment(skippedIds.size());
        failed.increment(failedRows.size());
        if (failedRows.isEmpty() && failing) {
            log.info("Mail relay recovered");
            failing = false;
        }
        return due.size();
    }

    /** Locks due rows that no other instance holds, and leases them to this one. */
    private List<Due> claim(Instant now) {
        return tx.execute(status -> {
            List<Due> rows = jdbc.query("SELECT id, notification_id, user_id, attempts FROM mail_outbox "
                            + "WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ? "
                            + "FOR UPDATE SKIP LOCKED",
                    (rs, n) -> new Due(rs.getLong("id"), rs.getLong("notification_id"), rs.getLong("user_id"),
                            rs.getInt("attempts") + 1),
                    SqlTime.utc(now), Math.min(properties.batchSize(), UserDirectory.BATCH_LIMIT));
            if (!rows.isEmpty()) {
                named.update("UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = :leaseEnd "
                        + "WHERE id IN (:ids)", Map.of("leaseEnd", SqlTime.utc(now.plus(properties.lease())),
                        "ids", rows.stream().map(Due::id).toList()));
            }
            return rows;
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

    private MimeMessage build(Recipient recipient, Content content) throws MessagingException {
        MailRenderer.Rendered mail = renderer.render(recipient.name(), content.title(), content.body());
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

    private void retryLater(List<Due> rows, String error) {
        if (rows.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        jdbc.batchUpdate("UPDATE mail_outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?",
                rows.stream().map(row -> new Object[] {SqlTime.utc(now.plus(backoff(row.attempts(), properties.initialBackoff(), properties.maxBackoff()))),
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
