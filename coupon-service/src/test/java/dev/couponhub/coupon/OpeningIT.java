package dev.couponhub.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.coupon.opening.OpeningJob;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code COUPON_OPENED}: a coupon published before its claim window opens is announced once the window opens, exactly
 * once however many instances run the job at the same moment; a coupon published open, or ended before it opened, is
 * never announced.
 */
class OpeningIT extends CouponServiceItSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    OpeningJob opening;

    @Test
    void scheduledCouponReachesItsStartThenOneCouponOpenedEventEvenWithFourInstancesAtOnce() throws Exception {
        long[] store = newStore("CAFE");
        Instant startsAt = Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Map<String, Object> body = couponBody(store[1], "Opening " + token(), 50);
        body.put("issueStartsAt", startsAt.toString());
        long couponId = publish(store[0], body).path("id").asLong();
        long openCoupon = openCoupon(10, 1);

        opening.announceDue();
        assertThat(types(couponId)).containsExactly("COUPON_PUBLISHED");

        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(startsAt.plusMillis(100)));
        allAtOnce(4, () -> opening.announceDue());
        opening.announceDue();

        assertThat(types(couponId)).containsExactly("COUPON_PUBLISHED", "COUPON_OPENED");
        JsonNode payload = JSON.readTree((String) outboxRows(couponId).get(1).get("payload"));
        assertThat(payload.path("couponId").asLong()).isEqualTo(couponId);
        assertThat(payload.path("storeId").asLong()).isEqualTo(store[1]);
        assertThat(payload.path("couponName").asText()).startsWith("Opening ");
        assertThat(payload.path("storeName").asText()).isNotBlank();
        assertThat(Instant.parse(payload.path("issueStartsAt").asText())).isEqualTo(startsAt);
        assertThat(types(openCoupon)).doesNotContain("COUPON_OPENED");
    }

    @Test
    void scheduledCouponEndedBeforeItOpensThenNeverAnnounced() {
        long[] store = newStore("CAFE");
        Instant startsAt = Instant.now().plusSeconds(1);
        Map<String, Object> body = couponBody(store[1], "Ended early " + token(), 50);
        body.put("issueStartsAt", startsAt.toString());
        long couponId = publish(store[0], body).path("id").asLong();
        assertThat(api.post(COUPONS + "/" + couponId + "/end", null, owner(store[0])).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(startsAt.plusMillis(100)));
        opening.announceDue();

        assertThat(types(couponId)).doesNotContain("COUPON_OPENED");
    }

    private List<String> types(long couponId) {
        return outboxRows(couponId).stream().map(row -> (String) row.get("type"))
                .filter(type -> !"COUPON_ENDED".equals(type)).toList();
    }

    private static void allAtOnce(int copies, Callable<Integer> run) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return run.call();
                }));
            }
            start.countDown();
            for (Future<Integer> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
