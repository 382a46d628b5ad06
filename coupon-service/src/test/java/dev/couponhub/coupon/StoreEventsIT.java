package dev.couponhub.coupon;

import dev.couponhub.testsupport.Queues;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.couponhub.coupon.store.StoreEventHandler;
import dev.couponhub.coupon.store.StoreSnapshots;
import dev.couponhub.kit.messaging.DeadLetters;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Store events from store-service (over the real SQS queue): renames in version order, deletions that end coupons and
 * are final, malformed events dead-lettered.
 */
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

    /** Events that can never be applied go to the dead-letter queue with their reason; the good ones are applied. */
    @Test
    void malformedStoreEventsThenDeadLetteredWithTheirReasonAndTheGoodOnesApplied() throws Exception {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "malformed", 3)).path("id").asLong();
        String marker = token();
        String notJson = "not json " + marker;
        String noStoreId = event("no-store-" + marker, "STORE_UPDATED", "{\"ownerId\":" + store[0]
                + ",\"name\":\"x\",\"category\":\"CAFE\",\"marker\":\"" + marker + "\"}");
        String noName = event("no-name-" + marker, "STORE_UPDATED", "{\"storeId\":" + store[1] + ",\"ownerId\":"
                + store[0] + ",\"category\":\"CAFE\",\"marker\":\"" + marker + "\"}");
        String newName = "Good " + marker;
        String good = event("good-" + marker, "STORE_UPDATED", "{\"storeId\":" + store[1] + ",\"ownerId\":"
                + store[0] + ",\"name\":\"" + newName + "\",\"category\":\"CAFE\",\"version\":1}");

        try (Queues queues = new Queues()) {
            queues.send(QUEUE, notJson);
            queues.send(QUEUE, noStoreId);
            // a message carrying a bad event and a good one: only the bad one goes
            queues.send(QUEUE, "[" + noName + "," + good + "]");
        }

        awaitTrue(() -> newName.equals(api.get(COUPONS + "/" + couponId).json().path("storeName").asText()));
        Map<String, String> deadLetters = new HashMap<>(); // body -> reason
        try (SqsAsyncClient sqs = Queues.asyncClient(Queues.endpoint())) {
            String dlq = sqs.getQueueUrl(request -> request.queueName(QUEUE + "-dlq")).join().queueUrl();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (deadLetters.size() < 3 && System.nanoTime() < deadline) {
                for (Message message : sqs.receiveMessage(request -> request.queueUrl(dlq).maxNumberOfMessages(10)
                        .waitTimeSeconds(1).messageAttributeNames("All")).join().messages()) {
                    if (message.body().contains(marker)) {
                        deadLetters.put(message.body(), message.messageAttributes()
                                .get(DeadLetters.REASON_ATTRIBUTE).stringValue());
                        sqs.deleteMessage(request -> request.queueUrl(dlq).receiptHandle(message.receiptHandle()))
                                .join();
                    }
                }
            }
        }
        assertThat(deadLetters).hasSize(3);
        assertThat(deadLetters.get(notJson)).contains("not JSON");
        assertThat(deadLetters.entrySet()).anySatisfy(entry -> {
            assertThat(entry.getKey()).contains("no-store-" + marker);
            assertThat(entry.getValue()).contains("storeId");
        });
        assertThat(deadLetters.entrySet()).anySatisfy(entry -> {
            assertThat(entry.getKey()).contains("no-name-" + marker).doesNotContain("good-" + marker);
            assertThat(entry.getValue()).contains("name");
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM processed_events WHERE event_id LIKE ?", Integer.class,
                "%" + marker)).isEqualTo(1); // only the good one was recorded
    }

    /**
     * The race of a publish with the store's deletion, in the order that lost it: the deletion event arrives while
     * nothing is known of the store yet, then a publish whose store-service answer predates the deletion. The deletion
     * is recorded (a tombstone), so the publish is refused, and no later update brings the store back.
     */
    @Test
    void storeDeletedBeforeAnythingWasKnownThenAPublishIsRefusedAndTheStoreStaysDeleted() throws Exception {
        long[] store = newStore("FOOD"); // store-service still answers it as active, as it did before the deletion
        assertThat(handler.handle(event(UUID.randomUUID().toString(), "STORE_DELETED",
                "{\"storeId\":" + store[1] + ",\"ownerId\":" + store[0] + ",\"version\":1}"))).isTrue();

        assertProblem(api.post(COUPONS, couponBody(store[1], "too late", 1), owner(store[0])), 404,
                "STORE_NOT_FOUND", COUPONS);
        // a STORE_UPDATED delivered late (version 0, or one without a version) does not resurrect it either
        handler.handle(event(UUID.randomUUID().toString(), "STORE_UPDATED", "{\"storeId\":" + store[1]
                + ",\"ownerId\":" + store[0] + ",\"name\":\"Back\",\"category\":\"FOOD\",\"version\":0}"));
        handler.handle(event(UUID.randomUUID().toString(), "STORE_UPDATED", "{\"storeId\":" + store[1]
                + ",\"ownerId\":" + store[0] + ",\"name\":\"Back\",\"category\":\"FOOD\"}"));
        assertProblem(api.post(COUPONS, couponBody(store[1], "still too late", 1), owner(store[0])), 404,
                "STORE_NOT_FOUND", COUPONS);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM coupons WHERE store_id = ?", Integer.class, store[1]))
                .isZero();
    }

    /**
     * Publishes and the deletion event of their store at the same time, many rounds on many threads: whatever the
     * order, no coupon of the deleted store stays claimable (each publish is refused, or its coupon is ended).
     */
    @Test
    void publishesRacingTheStoreDeletionThenNoCouponOfTheDeletedStoreStaysOpen() throws Exception {
        int publishers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(publishers + 1);
        try {
            for (int round = 0; round < 8; round++) {
                long[] store = newStore("CAFE");
                CyclicBarrier start = new CyclicBarrier(publishers + 1);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int p = 0; p < publishers; p++) {
                    int n = p;
                    answers.add(pool.submit(() -> {
                        start.await();
                        return api.post(COUPONS, couponBody(store[1], "race " + n, 2), owner(store[0])).status();
                    }));
                }
                Future<Boolean> deletion = pool.submit(() -> {
                    start.await();
                    return handler.handle(event(UUID.randomUUID().toString(), "STORE_DELETED",
                            "{\"storeId\":" + store[1] + ",\"ownerId\":" + store[0] + ",\"version\":1}"));
                });
                assertThat(deletion.get(30, TimeUnit.SECONDS)).isTrue();
                for (Future<Integer> answer : answers) {
                    assertThat(answer.get(30, TimeUnit.SECONDS)).isIn(201, 404);
                }
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM coupons WHERE store_id = ? AND ended_at IS NULL",
                        Integer.class, store[1])).as("open coupons of deleted store %d", store[1]).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Store updates apply in the store's version order: an older one arriving after a newer one changes nothing. */
    @Test
    void olderStoreUpdateArrivingAfterANewerOneThenChangesNothing() throws Exception {
        long[] store = newStore("CAFE");
        long couponId = publish(store[0], couponBody(store[1], "versions", 3)).path("id").asLong();
        String newer = "Newer " + token();

        assertThat(handler.handle(event(UUID.randomUUID().toString(), "STORE_UPDATED", "{\"storeId\":" + store[1]
                + ",\"ownerId\":" + store[0] + ",\"name\":\"" + newer + "\",\"category\":\"FOOD\",\"version\":2}")))
                .isTrue();
        assertThat(handler.handle(event(UUID.randomUUID().toString(), "STORE_UPDATED", "{\"storeId\":" + store[1]
                + ",\"ownerId\":" + store[0] + ",\"name\":\"Older\",\"category\":\"CAFE\",\"version\":1}")))
                .isTrue(); // recorded, without effect

        JsonNode coupon = api.get(COUPONS + "/" + couponId).json();
        assertThat(coupon.path("storeName").asText()).isEqualTo(newer);
        assertThat(jdbc.queryForMap("SELECT name, category, version FROM store_snapshots WHERE id = ?", store[1]))
                .containsEntry("name", newer).containsEntry("category", "FOOD").containsEntry("version", 2L);
        // a publish (store-service's answer, which carries no version) does not replace event-versioned details
        publish(store[0], couponBody(store[1], "versions again", 1));
        assertThat(jdbc.queryForObject("SELECT name FROM store_snapshots WHERE id = ?", String.class, store[1]))
                .isEqualTo(newer);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
