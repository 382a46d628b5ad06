package dev.couponhub.notification.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.couponhub.notification.NotificationItSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The mail row of an alert is written due when its recipient may be mailed: at the end of the gather window if the
 * recipient was mailed within it, so that the relay never has to hold the row back with another write.
 */
class MailDueAtIT extends NotificationItSupport {

    @Autowired
    AlertWriter writer;

    @Test
    void recipientMailedWithinTheWindowThenTheRowIsDueWhenTheWindowCloses() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long recentlyMailed = newUserId();
        long mailedLongAgo = newUserId();
        LocalDateTime recentMail = LocalDateTime.ofInstant(now.minusSeconds(1), ZoneOffset.UTC);
        jdbc.update("INSERT INTO mail_recipients (user_id, last_mailed_at) VALUES (?, ?), (?, ?)",
                recentlyMailed, recentMail, mailedLongAgo,
                LocalDateTime.ofInstant(now.minusSeconds(GATHER_WINDOW_SECONDS * 3L), ZoneOffset.UTC));
        String eventId = UUID.randomUUID().toString();

        List<AlertWriter.Created> created = writer.write(List.of(alert(eventId, recentlyMailed),
                alert(eventId, mailedLongAgo)), now);

        assertThat(created).hasSize(2);
        assertThat(dueAt(recentlyMailed)).isEqualTo(recentMail.plusSeconds(GATHER_WINDOW_SECONDS));
        // due at once: the relay may already have leased it (a later next_attempt_at), never held it back to the window
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM mail_outbox WHERE user_id = ?", Long.class,
                mailedLongAgo)).isEqualTo(1);
    }

    private LocalDateTime dueAt(long userId) {
        return jdbc.queryForObject("SELECT next_attempt_at FROM mail_outbox WHERE user_id = ?", LocalDateTime.class,
                userId);
    }

    private static Alert alert(String eventId, long userId) {
        return new Alert(eventId, userId, new AlertContent(AlertType.COUPON_CLAIMED, "쿠폰이 발급되었어요", "본문",
                JsonNodeFactory.instance.objectNode()));
    }
}
