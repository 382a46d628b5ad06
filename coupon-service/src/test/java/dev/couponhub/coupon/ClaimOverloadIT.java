package dev.couponhub.coupon;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * When MySQL cannot keep up, claims waiting for the writer are bounded: beyond {@code max-pending} a claim is answered
 * 503 at once and its Redis reservation is given back, so the unit stays claimable. The writer is held up for real: a
 * transaction of the test locks the coupon's row, which the writer's count update needs.
 */
@TestPropertySource(properties = {
        "couponhub.claims.max-pending=4",
        "grpc.server.in-process-name=coupon-service-overload-it",
})
class ClaimOverloadIT extends CouponServiceItSupport {

    private static final int BURST = 20;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @Test
    void claimWhenWriterQueueFullThenFast503AndReservationGivenBack() throws Exception {
        int stock = 30;
        long couponId = openCoupon(stock, 1);
        ExecutorService pool = Executors.newFixedThreadPool(BURST + 1);
        List<Future<ApiClient.Response>> answers = new ArrayList<>();
        int refused = 0;
        int issued = 0;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM coupons WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, couponId);
                lock.executeQuery().close();
            }
            // one claim takes the writer into its batch, where it waits for the row lock
            double batchesBefore = batches();
            answers.add(pool.submit(() -> claim(couponId, newUserId())));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (batches() == batchesBefore && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(batches()).as("the writer took the first claim").isGreaterThan(batchesBefore);

            // a burst: four fit in the queue, the others are refused at once although the writer is stuck
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < BURST; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return claim(couponId, newUserId());
                }));
            }
            start.countDown();
            // the refusals come at once; the queued claims wait for the lock
            List<Future<ApiClient.Response>> burst = answers.subList(1, answers.size());
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (burst.stream().filter(Future::isDone).count() < BURST - 4 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            for (Future<ApiClient.Response> answer : burst) {
                if (answer.isDone()) {
                    assertProblem(answer.get(), 503, "DEPENDENCY_UNAVAILABLE", COUPONS + "/" + couponId + "/claim");
                    refused++;
                }
            }
            assertThat(answers.get(0).isDone()).as("the first claim still waits for the lock").isFalse();
            holder.rollback();
        }
        for (Future<ApiClient.Response> answer : answers) {
            ApiClient.Response response = answer.get(30, TimeUnit.SECONDS);
            if (response.status() == 201) {
                issued++;
            }
        }
        pool.shutdown();

        // at most max-pending (4, give or take claims that checked the queue at the same moment) waited
        assertThat(refused).isBetween(BURST - 4 - 2, BURST - 4);
        assertThat(issued).isEqualTo(BURST + 1 - refused);
        assertThat(issuedCount(couponId)).isEqualTo(issued);
        // the refused claims' units were given back: the rest of the stock can still be claimed, and no more
        for (int i = issued; i < stock; i++) {
            ApiClient.Response response = claim(couponId, newUserId());
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
        }
        assertProblem(claim(couponId, newUserId()), 409, "SOLD_OUT", COUPONS + "/" + couponId + "/claim");
        assertThat(issuedCount(couponId)).isEqualTo(stock);
    }

    private double batches() {
        return meters.get("couponhub.claims.batch.size").summary().count();
    }
}
