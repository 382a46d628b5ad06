package dev.couponhub.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Alert mails are gathered per recipient ({@code couponhub.notification.mail.gather-window}, {@value
 * NotificationItSupport#GATHER_WINDOW_SECONDS} s in the ITs): a recipient not mailed within the window gets the next
 * alert at once; alerts that follow while the window is open go together in one mail when it closes. Every alert goes
 * in exactly one mail, however many arrive at once ({@code MailQueueIT}: however they race the sender).
 */
class GatheredMailsIT extends NotificationItSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern GATHERED = Pattern.compile("Couponhub 새 알림 (\\d+)건");

    @Test
    void threeAlertsInARowThenTheFirstMailedAtOnceAndTheNextTwoTogetherInOneMailAfterTheWindow() {
        long user = newUserId();
        String address = FakeUserService.email(user);

        send(event(UUID.randomUUID().toString(), "COUPON_CLAIMED", claimed(user, 9801, "첫째")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(mails(address)).hasSize(1));
        // the SMTP server has the mail before the relay's transaction records it
        LocalDateTime firstMail = await().atMost(WAIT).until(() -> lastMailedAt(user), Objects::nonNull);
        send(event(UUID.randomUUID().toString(), "COUPON_CLAIMED", claimed(user, 9802, "둘째")));
        send(event(UUID.randomUUID().toString(), "COUPON_REDEEMED", redeemed(user)));

        await().atMost(WAIT).untilAsserted(() -> assertThat(mails(address)).hasSize(2));
        await().atMost(WAIT).until(() -> allMailed(user));
        List<JsonNode> mails = toList(mails(address));
        assertThat(mails).hasSize(2);
        assertThat(mails.get(0).path("subject").asText()).isEqualTo("첫째 쿠폰이 발급되었어요");
        assertThat(mails.get(1).path("subject").asText()).isEqualTo("Couponhub 새 알림 2건");
        assertThat(mailText(mails.get(1))).containsSubsequence("■ 둘째 쿠폰이 발급되었어요", "준커피의 둘째 쿠폰을 받았어요",
                "■ 라떼 쿠폰 쿠폰을 사용했어요", "주문 order-1").doesNotContain("첫째");

        // the last two arrived while the window since the first mail was open, and were mailed only when it had closed
        LocalDateTime secondAlert = jdbc.queryForObject("SELECT MIN(created_at) FROM notifications WHERE user_id = ? "
                + "AND type = 'COUPON_REDEEMED'", LocalDateTime.class, user);
        assertThat(secondAlert).isBefore(firstMail.plusSeconds(GATHER_WINDOW_SECONDS));
        assertThat(Duration.between(firstMail, lastMailedAt(user)))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(GATHER_WINDOW_SECONDS));
    }

    @Test
    void burstOfAHundredClaimsByOneShopperThenAtMostThreeMailsCarryingEveryAlertOnce() {
        long user = newUserId();
        String address = FakeUserService.email(user);
        for (int i = 0; i < 100; i++) {
            send(event(UUID.randomUUID().toString(), "COUPON_CLAIMED", claimed(user, 9900 + i, "연속 쿠폰")));
        }

        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox(user).path("totalElements").asLong())
                .isEqualTo(100));
        await().atMost(WAIT).until(() -> allMailed(user));
        List<JsonNode> mails = toList(mails(address));
        int alertsMailed = 0;
        for (JsonNode mail : mails) {
            Matcher gathered = GATHERED.matcher(mail.path("subject").asText());
            alertsMailed += gathered.matches() ? Integer.parseInt(gathered.group(1)) : 1;
        }
        System.out.printf("burst of 100 claims by one shopper: %d mail(s), %d alert(s) in them%n", mails.size(),
                alertsMailed);
        // the first alert at once, the rest gathered when the window closes (a run may catch a few with the first)
        assertThat(mails).hasSizeBetween(1, 3);
        assertThat(alertsMailed).isEqualTo(100);
    }

    @Test
    void moreAlertsWaitingThanOneMailCarriesThenFurtherMailsAtOnceAndEachAlertInExactlyOne() {
        long user = newUserId();
        String prefix = "many-" + token() + "-";
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            rows.add(new Object[] {user, prefix + i, "밀린 알림 " + i + "번"});
        }
        insertDue(rows, prefix);

        // 100 alerts per mail (the default): 100, 100 and 50, without waiting for the window between them
        await().atMost(WAIT).untilAsserted(() -> assertThat(mails(FakeUserService.email(user))).hasSize(3));
        await().atMost(WAIT).until(() -> allMailed(user));
        List<JsonNode> mails = toList(mails(FakeUserService.email(user)));
        assertThat(mails).extracting(mail -> mail.path("subject").asText())
                .containsExactly("Couponhub 새 알림 100건", "Couponhub 새 알림 100건", "Couponhub 새 알림 50건");
        assertEachAlertMailedOnce(mails, "밀린 알림 ", 250);
    }

    @Test
    void alertsOfClosedAccountsThenSkippedWithoutAMailAndTheirQueuesEmptied() {
        long closedAccount = FakeUserService.CLOSED_FROM + System.nanoTime() % 1_000_000_000L * 10_000;
        String prefix = "closed-" + token() + "-";
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 250; i++) { // more recipients than one batch of the sender
            rows.add(new Object[] {closedAccount + i, prefix + i, "닫힌 계정 알림 " + i});
        }
        insertDue(rows, prefix);

        await().atMost(WAIT).untilAsserted(() -> assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notifications n "
                + "JOIN mail_recipients r ON r.user_id = n.user_id WHERE n.event_id LIKE ? "
                + "AND r.mailed_through >= n.id AND r.mail_due_at IS NULL", Long.class, prefix + "%")).isEqualTo(250));
        assertThat(mails(FakeUserService.email(closedAccount))).isEmpty();
    }

    /** Inserts the alerts ({@code [userId, eventId, title]}) as the writer would, their recipients' mails due now. */
    private void insertDue(List<Object[]> rows, String prefix) {
        jdbc.batchUpdate("INSERT INTO notifications (user_id, event_id, type, title, body, data, created_at) "
                + "VALUES (?, ?, 'COUPON_CLAIMED', ?, '본문', '{}', UTC_TIMESTAMP(6) - INTERVAL 1 SECOND)", rows);
        jdbc.update("INSERT INTO mail_recipients (user_id, mail_due_at) SELECT DISTINCT user_id, UTC_TIMESTAMP(6) "
                + "FROM notifications WHERE event_id LIKE ? ON DUPLICATE KEY UPDATE mail_due_at = UTC_TIMESTAMP(6)",
                prefix + "%");
    }

    private LocalDateTime lastMailedAt(long user) {
        return jdbc.queryForObject("SELECT last_mailed_at FROM mail_recipients WHERE user_id = ?", LocalDateTime.class,
                user);
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }
}
