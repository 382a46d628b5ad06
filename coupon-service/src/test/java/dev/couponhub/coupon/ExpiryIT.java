package dev.couponhub.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.couponhub.coupon.expiry.ExpiryJob;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Issued coupons expire on schedule, with COUPON_EXPIRING once about a day before and COUPON_EXPIRED once. */
class ExpiryIT extends CouponServiceItSupport {

    @Autowired
    ExpiryJob job;

    @Test
    void expiryJobsRunConcurrentlyThenEachCouponExpiresOnceWithOneEventEach() throws Exception {
        long couponId = openCoupon(10, 5);
        long user = newUserId();
        long soon = claim(couponId, user).json().path("id").asLong();
        long past = claim(couponId, user).json().path("id").asLong();
        long later = claim(couponId, user).json().path("id").asLong();
        jdbc.update("UPDATE issued_coupons SET expires_at = ? WHERE id = ?",
                Timestamp.from(Instant.now().plus(Duration.ofHours(3))), soon);
        jdbc.update("UPDATE issued_coupons SET expires_at = ? WHERE id = ?",
                Timestamp.from(Instant.now().minusSeconds(1)), past);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = List.of(pool.submit(job::runScheduled), pool.submit(job::runScheduled),
                    pool.submit(job::runScheduled), pool.submit(job::runScheduled));
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        job.runScheduled();

        assertThat(status(past)).isEqualTo("EXPIRED");
        assertThat(status(soon)).isEqualTo("ISSUED");
        assertThat(status(later)).isEqualTo("ISSUED");
        List<Map<String, Object>> events = outboxRows(couponId);
        assertThat(events).extracting(row -> row.get("type")).filteredOn("COUPON_EXPIRED"::equals).hasSize(1);
        assertThat(events).extracting(row -> row.get("type")).filteredOn("COUPON_EXPIRING"::equals).hasSize(1);
        assertThat(events).filteredOn(row -> row.get("type").equals("COUPON_EXPIRING"))
                .allSatisfy(row -> assertThat(row.get("payload").toString()).contains("\"issuedCouponId\":" + soon));
        assertThat(events).filteredOn(row -> row.get("type").equals("COUPON_EXPIRED"))
                .allSatisfy(row -> assertThat(row.get("payload").toString()).contains("\"issuedCouponId\":" + past));
    }

    private String status(long issuedId) {
        return jdbc.queryForObject("SELECT status FROM issued_coupons WHERE id = ?", String.class, issuedId);
    }
}
