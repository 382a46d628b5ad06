package dev.couponhub.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Alert mails are gathered per recipient ({@code couponhub.notification.mail.gather-window}, {@value
 * NotificationItSupport#GATHER_WINDOW_SECONDS} s in the ITs): a recipient not mailed within the window gets the next
 * alert at once; alerts that follow while the window is open go together in one mail when it closes.
 */
class GatheredMailsIT extends NotificationItSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void threeAlertsInARowThenTheFirstMailedAtOnceAndTheNextTwoTogetherInOneMailAfterTheWindow() {
        long user = newUserId();
        String address = FakeUserService.email(user);

        send(event(UUID.randomUUID().toString(), "COUPON_CLAIMED", claimed(user, 9801, "첫째")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(mails(address)).hasSize(1));
        send(event(UUID.randomUUID().toString(), "COUPON_CLAIMED", claimed(user, 9802, "둘째")));
        send(event(UUID.randomUUID().toString(), "COUPON_REDEEMED", redeemed(user)));

        await().atMost(WAIT).untilAsserted(() -> assertThat(outbox(user)).extracting(Row::status)
                .containsExactly("SENT", "SENT", "SENT"));
        List<JsonNode> mails = toList(mails(address));
        assertThat(mails).hasSize(2);
        assertThat(mails.get(0).path("subject").asText()).isEqualTo("첫째 쿠폰이 발급되었어요");
        assertThat(mails.get(1).path("subject").asText()).isEqualTo("Couponhub 새 알림 2건");
        assertThat(mailText(mails.get(1))).containsSubsequence("■ 둘째 쿠폰이 발급되었어요", "준커피의 둘째 쿠폰을 받았어요",
                "■ 라떼 쿠폰 쿠폰을 사용했어요", "주문 order-1").doesNotContain("첫째");

        List<Row> rows = outbox(user); // oldest first
        LocalDateTime firstMail = rows.get(0).sentAt();
        LocalDateTime gatheredMail = rows.get(1).sentAt();
        assertThat(rows.get(2).sentAt()).as("the last two alerts went in one mail").isEqualTo(gatheredMail);
        // they arrived while the window since the first mail was open, and were mailed only when it had closed
        assertThat(rows.get(1).createdAt()).isBefore(firstMail.plusSeconds(GATHER_WINDOW_SECONDS));
        assertThat(Duration.between(firstMail, gatheredMail))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(GATHER_WINDOW_SECONDS));
    }

    @Test
    void recipientsAlertsSplitByAFullBatchThenStillOneMail() {
        long user = newUserId();
        String prefix = "split-" + token() + "-";
        long closedAccount = FakeUserService.CLOSED_FROM + System.nanoTime() % 1_000_000_000L * 10_000;
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {user, prefix + "first", "맨 앞 알림"});
        for (int i = 0; i < 250; i++) { // more than two batches of 100 in between: a batch boundary splits the two
            rows.add(new Object[] {closedAccount + i, prefix + i, "사이 알림 " + i});
        }
        rows.add(new Object[] {user, prefix + "last", "맨 뒤 알림"});
        jdbc.batchUpdate("INSERT INTO notifications (user_id, event_id, type, title, body, data, created_at) "
                + "VALUES (?, ?, 'COUPON_CLAIMED', ?, '본문', '{}', UTC_TIMESTAMP(6) - INTERVAL 1 SECOND)", rows);

        // one statement: the relay sees all these mails due at once, in this order
        jdbc.update("INSERT INTO mail_outbox (notification_id, user_id, status, attempts, next_attempt_at, created_at) "
                + "SELECT id, user_id, 'PENDING', 0, created_at, created_at FROM notifications "
                + "WHERE event_id LIKE ? ORDER BY id", prefix + "%");

        await().atMost(WAIT).untilAsserted(() -> assertThat(outbox(user)).extracting(Row::status)
                .containsExactly("SENT", "SENT"));
        assertThat(outbox(user).get(1).sentAt()).isEqualTo(outbox(user).get(0).sentAt());
        List<JsonNode> mails = toList(mails(FakeUserService.email(user)));
        assertThat(mails).singleElement().satisfies(mail -> {
            assertThat(mail.path("subject").asText()).isEqualTo("Couponhub 새 알림 2건");
            assertThat(mailText(mail)).containsSubsequence("■ 맨 앞 알림", "■ 맨 뒤 알림");
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM mail_outbox "
                + "WHERE user_id >= ? AND user_id < ? AND status = 'SKIPPED'", Long.class, closedAccount,
                closedAccount + 250)).isEqualTo(250));
    }

    /** A mail-outbox row; times in UTC as stored. */
    private record Row(String status, LocalDateTime createdAt, LocalDateTime sentAt) {
    }

    private List<Row> outbox(long user) {
        return jdbc.query("SELECT status, created_at, sent_at FROM mail_outbox WHERE user_id = ? ORDER BY id",
                (rs, n) -> new Row(rs.getString("status"), rs.getObject("created_at", LocalDateTime.class),
                        rs.getObject("sent_at", LocalDateTime.class)), user);
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }
}
