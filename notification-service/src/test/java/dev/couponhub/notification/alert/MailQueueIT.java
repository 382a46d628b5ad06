package dev.couponhub.notification.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.couponhub.notification.FakeUserService;
import dev.couponhub.notification.NotificationItSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The alert writer queues each recipient's mail ({@code mail_recipients}): due when the recipient may be mailed (at
 * once, or when the gather window since their last mail closes), never pushed back by later alerts; and however alerts
 * of one recipient race the sender, each goes in exactly one mail.
 */
class MailQueueIT extends NotificationItSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    AlertWriter writer;

    @Test
    void recipientMailedWithinTheWindowThenTheMailIsDueWhenTheWindowCloses() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long recentlyMailed = newUserId();
        long mailedLongAgo = newUserId();
        long neverMailed = newUserId();
        LocalDateTime recentMail = utc(now.minusSeconds(1));
        jdbc.update("INSERT INTO mail_recipients (user_id, last_mailed_at) VALUES (?, ?), (?, ?)",
                recentlyMailed, recentMail, mailedLongAgo, utc(now.minusSeconds(GATHER_WINDOW_SECONDS * 3L)));
        String eventId = UUID.randomUUID().toString();

        List<AlertWriter.Created> created = writer.write(List.of(alert(eventId, recentlyMailed),
                alert(eventId, mailedLongAgo), alert(eventId, neverMailed)), now);

        assertThat(created).extracting(row -> row.alert().userId())
                .containsExactlyInAnyOrder(recentlyMailed, mailedLongAgo, neverMailed);
        assertThat(dueAt(recentlyMailed)).isEqualTo(recentMail.plusSeconds(GATHER_WINDOW_SECONDS));
        // due at once: the sender may already have leased it (a later due time) or mailed it (no due time)
        assertThat(queued(mailedLongAgo)).isTrue();
        assertThat(queued(neverMailed)).isTrue();
        await().atMost(WAIT).until(() -> allMailed(mailedLongAgo) && allMailed(neverMailed));
        assertThat(mails(FakeUserService.email(neverMailed))).hasSize(1);
    }

    @Test
    void recipientWithAMailDueThenANewAlertKeepsItsDueTime() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long user = newUserId();
        LocalDateTime due = utc(now.plusSeconds(3600)); // as while a sender holds it
        jdbc.update("INSERT INTO mail_recipients (user_id, mail_due_at) VALUES (?, ?)", user, due);

        writer.write(List.of(alert(UUID.randomUUID().toString(), user)), now);

        assertThat(dueAt(user)).isEqualTo(due);
    }

    @Test
    void sameAlertsWrittenTwiceThenTheSecondWriteCreatesNothing() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long first = newUserId();
        long second = newUserId();
        String eventId = UUID.randomUUID().toString();
        List<Alert> alerts = List.of(alert(eventId, first), alert(eventId, second));

        List<AlertWriter.Created> created = writer.write(alerts, now);
        List<AlertWriter.Created> again = writer.write(alerts, now.plusMillis(1));
        List<AlertWriter.Created> withANewOne = writer.write(List.of(alert(eventId, first),
                alert(UUID.randomUUID().toString(), first)), now.plusMillis(2));

        assertThat(created).hasSize(2);
        assertThat(again).isEmpty();
        assertThat(withANewOne).singleElement()
                .satisfies(row -> assertThat(row.alert().eventId()).isNotEqualTo(eventId));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notifications WHERE user_id IN (?, ?)", Long.class, first,
                second)).isEqualTo(3);
    }

    @Test
    void alertsOfOneRecipientWrittenConcurrentlyWhileMailsGoOutThenEachInExactlyOneMail() throws Exception {
        long user = newUserId();
        int threads = 8;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writes.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int n = thread * perThread + i;
                        writer.write(List.of(new Alert(UUID.randomUUID().toString(), user, new AlertContent(
                                AlertType.COUPON_CLAIMED, "동시 알림 " + n + "번", "본문",
                                JsonNodeFactory.instance.objectNode()))), Instant.now());
                        Thread.sleep(ThreadLocalRandom.current().nextInt(0, 40)); // spread over several sender runs
                    }
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        await().atMost(WAIT).until(() -> allMailed(user));
        List<JsonNode> mails = new ArrayList<>();
        mails(FakeUserService.email(user)).forEach(mails::add);
        assertThat(mails).as("the first alert at once, the rest gathered").hasSizeGreaterThanOrEqualTo(2);
        assertEachAlertMailedOnce(mails, "동시 알림 ", threads * perThread);
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Alert alert(String eventId, long userId) {
        return new Alert(eventId, userId, new AlertContent(AlertType.COUPON_CLAIMED, "쿠폰이 발급되었어요", "본문",
                JsonNodeFactory.instance.objectNode()));
    }
}
