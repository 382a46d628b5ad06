package dev.couponhub.coupon;

import dev.couponhub.testsupport.Queues;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.couponhub.coupon.store.StoreEventHandler;
import dev.couponhub.coupon.store.StoreSnapshots;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Store events from store-service (over the real SQS queue): renames, and deletions that end coupons. */
class StoreEventsIT extends CouponServiceItSupport {

    private static final String QUEUE = "store-events-coupon";

    @Autowired
    StoreEventHandler handler;

    @Autowired
    ApplicationContext context;

    private static String event(String eventId, String type, String payload) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"" + type + "\",\"occurredAt\":\"2026-11-21T09:00:00Z\","
                + "\"payload\":" + payload + "}";
    }

    @Test
    void storeUpdatedThenCouponsShowTheNewStoreName() throws Exception {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "renamed", 3)).path("id").asLong();
        String newName = "Renamed " + token();

        try (Queues queues = new Queues()) {
            queues.send(QUEUE, event(UUID.randomUUID().toString(), "STORE_UPDATED", "{\"storeId\":" + store[1]
                    + ",\"ownerId\":" + store[0] + ",\"name\":\"" + newName + "\",\"category\":\"CAFE\"}"));
        }

        awaitTrue(() -> newName.equals(api.get(COUPONS + "/" + couponId).json().path("storeName").asText()));
    }

    @Test
    void storeDeletedThenItsCouponsEndOnceAndIssuedOnesStayUsable() throws Exception {
        long[] store = newStore("FOOD");
        long couponId = publish(store[0], couponBody(store[1], "ends", 3)).path("id").asLong();
        long user = newUserId();
        long issuedId = claim(couponId, user).json().path("id").asLong();
        String eventId = UUID.randomUUID().toString();
        String deleted = event(eventId, "STORE_DELETED", "{\"storeId\":" + store[1] + ",\"ownerId\":" + store[0] + "}");

        try (Queues queues = new Queues()) {
            queues.send(QUEUE, deleted);
        }
        awaitTrue(() -> "ENDED".equals(api.get(COUPONS + "/" + couponId).json().path("status").asText()));

        assertThat(handler.handle(deleted)).isFalse(); // a repeat changes nothing
        assertThat(outboxRows(couponId)).extracting(row -> row.get("type"))
                .filteredOn("COUPON_ENDED"::equals).hasSize(1); // one event, one row for every destination queue
        assertProblem(claim(couponId, newUserId()), 422, "CLAIM_WINDOW_CLOSED", COUPONS + "/" + couponId + "/claim");
        assertThat(api.post("/api/v1/issued-coupons/" + issuedId + "/redeem",
                java.util.Map.of("orderId", "after-delete", "orderAmount", 5_000), shopper(user)).status())
                .isEqualTo(200);
        // publishing for the deleted store is refused
        stores.delete(store[1]);
        assertProblem(api.post(COUPONS, couponBody(store[1], "x", 1), owner(store[0])), 404, "STORE_NOT_FOUND",
                COUPONS);
    }

    /** A publish and a store event that meet a new store at the same time: neither may fail on the primary key. */
    @Test
    void snapshotOfANewStoreRefreshedConcurrentlyThenOneRowAndNoFailure() throws Exception {
        StoreSnapshots snapshots = context.getBean(StoreSnapshots.class);
        TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 10; round++) {
                long storeId = ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<String>> names = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String name = "Store " + storeId + " v" + t;
                    names.add(pool.submit(() -> {
                        start.await();
                        return tx.execute(status -> snapshots.refresh(storeId, 7L, name, "CAFE",
                                Instant.now().truncatedTo(ChronoUnit.MICROS)).name());
                    }));
                }
                for (Future<String> name : names) {
                    assertThat(name.get(30, TimeUnit.SECONDS)).startsWith("Store " + storeId);
                }
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM store_snapshots WHERE id = ?", Integer.class,
                        storeId)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
