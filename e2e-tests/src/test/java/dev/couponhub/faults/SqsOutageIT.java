package dev.couponhub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ElasticMQ stopped for 2 minutes (its port closed through the devstack's {@code sqs.suspended} switch, messages kept)
 * while shoppers claim and the owner publishes: afterwards every event has arrived exactly once where it belongs, each
 * claim's alert to its shopper and its ledger row in batch-service, each publication's alert to every subscriber of
 * the store and its ledger row, and no message is in a dead-letter queue.
 */
@Order(Order.DEFAULT + 5) // after the end-to-end classes (Order.DEFAULT), before SuiteShutdownIT
@ExtendWith(FaultSuite.class)
class SqsOutageIT {

    private static final Duration OUTAGE = Duration.ofMinutes(2);
    private static final Duration DELIVERED_WITHIN = Duration.ofMinutes(3);
    private static final int SUBSCRIBERS = 200;
    private static final long FIRST_SUBSCRIBER = 910_000_000L;
    private static final long STOCK = 3000;

    @Test
    void brokerDownForTwoMinutesThenEveryAlertAndLedgerRowArrivesExactlyOnceAndNothingIsDeadLettered()
            throws Exception {
        Shoppers shoppers = Shoppers.get();
        long storeId = Shoppers.send("POST", "/api/v1/stores", shoppers.ownerToken, "{\"name\":\"Fault suite store "
                + "during an SQS outage\",\"category\":\"CAFE\",\"address\":\"Seoul, Teheran-ro 4\"}", 201)
                .path("id").asLong();
        try (Connection notifications = IssuedRows.connect("notification")) {
            subscribe(notifications, storeId);
        }
        long claimed = shoppers.publish(storeId, "Fault suite: claimed during an SQS outage", STOCK);
        List<Long> published = new ArrayList<>(List.of(claimed));
        Path switchFile = FaultSuite.DATA.resolve("sqs.suspended");
        long resumed;
        Stampede stampede = new Stampede(shoppers, claimed, 4, Duration.ofMillis(300), Duration.ofMillis(300)).start();
        try (stampede) {
            assertThat(stampede.awaitUntil(s -> s.issued() >= 20, Duration.ofSeconds(30))).isTrue();
            Files.writeString(switchFile, "");
            long suspended = System.nanoTime();
            try {
                long closedBy = suspended + Duration.ofSeconds(30).toNanos();
                while (FaultSuite.portOpen(9324)) {
                    assertThat(System.nanoTime()).as("SQS port closed within 30 s").isLessThan(closedBy);
                    Thread.sleep(100);
                }
                for (int i = 1; i <= 2; i++) {
                    Thread.sleep(OUTAGE.toMillis() / 3);
                    published.add(shoppers.publish(storeId, "Fault suite: published during an SQS outage " + i, 10));
                }
                Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - suspended) / 1_000_000));
            }
            finally {
                Files.deleteIfExists(switchFile);
                resumed = System.nanoTime();
            }
            Thread.sleep(5000);
        }
        List<Stampede.Attempt> attempts = stampede.attempts();
        Map<Long, IssuedRows.Row> rows = IssuedRows.of(claimed);
        Set<Long> issuedIds = rows.keySet();

        long deadline = resumed + DELIVERED_WITHIN.toNanos();
        Delivered delivered = delivered(storeId, claimed, published);
        while (!delivered.complete(issuedIds.size(), published.size()) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            delivered = delivered(storeId, claimed, published);
        }
        double deliveredAfter = (System.nanoTime() - resumed) / 1e9;
        Thread.sleep(3000); // and nothing arrives twice a little later
        delivered = delivered(storeId, claimed, published);
        Map<String, Long> deadLetters = deadLetters();
        System.out.printf("FAULT sqs-outage: answers %s; issued %d, publications %d; claim alerts %d (distinct %d), "
                        + "claim ledger rows %d (distinct %d); publication alerts %d of %d, publication ledger rows %d "
                        + "of %d; delivered %.1f s after the broker came back; dead letters %s%n",
                Stampede.byOutcome(attempts), issuedIds.size(), published.size(), delivered.claimAlerts,
                delivered.distinctClaimAlerts, delivered.claimLedger, delivered.distinctClaimLedger,
                delivered.publicationAlerts, (long) SUBSCRIBERS * published.size(), delivered.publicationLedger,
                published.size(), deliveredAfter, deadLetters);

        assertThat(delivered.claimAlerts).as("claim alerts, one per issued coupon").isEqualTo(issuedIds.size());
        assertThat(delivered.distinctClaimAlerts).isEqualTo(issuedIds.size());
        assertThat(delivered.claimLedger).as("claim ledger rows, one per issued coupon").isEqualTo(issuedIds.size());
        assertThat(delivered.distinctClaimLedger).isEqualTo(issuedIds.size());
        assertThat(delivered.publicationAlerts).as("publication alerts, one per subscriber and coupon")
                .isEqualTo((long) SUBSCRIBERS * published.size());
        assertThat(delivered.distinctPublicationAlerts).isEqualTo((long) SUBSCRIBERS * published.size());
        assertThat(delivered.publicationLedger).as("publication ledger rows").isEqualTo(published.size());
        assertThat(deadLetters.values()).as("messages in dead-letter queues: %s", deadLetters).allMatch(n -> n == 0);
    }

    private record Delivered(long claimAlerts, long distinctClaimAlerts, long claimLedger, long distinctClaimLedger,
                             long publicationAlerts, long distinctPublicationAlerts, long publicationLedger) {

        boolean complete(int issued, int publications) {
            return claimAlerts >= issued && claimLedger >= issued
                    && publicationAlerts >= (long) SUBSCRIBERS * publications && publicationLedger >= publications;
        }
    }

    private static Delivered delivered(long storeId, long claimed, List<Long> published) throws Exception {
        String coupons = published.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow();
        long[] claimAlerts;
        long[] publicationAlerts;
        try (Connection db = IssuedRows.connect("notification")) {
            claimAlerts = counts(db, "SELECT COUNT(*), COUNT(DISTINCT JSON_VALUE(data, '$.issuedCouponId')) "
                    + "FROM notifications WHERE type = 'COUPON_CLAIMED' AND JSON_VALUE(data, '$.couponId') = "
                    + claimed);
            publicationAlerts = counts(db, "SELECT COUNT(*), COUNT(DISTINCT user_id, JSON_VALUE(data, '$.couponId')) "
                    + "FROM notifications WHERE user_id >= " + FIRST_SUBSCRIBER + " AND type = 'COUPON_PUBLISHED' "
                    + "AND JSON_VALUE(data, '$.couponId') IN (" + coupons + ")");
        }
        long[] claimLedger;
        long[] publicationLedger;
        try (Connection db = IssuedRows.connect("batch")) {
            claimLedger = counts(db, "SELECT COUNT(*), COUNT(DISTINCT issued_coupon_id) FROM usage_events "
                    + "WHERE type = 'COUPON_CLAIMED' AND coupon_id = " + claimed);
            publicationLedger = counts(db, "SELECT COUNT(*), COUNT(DISTINCT coupon_id) FROM usage_events "
                    + "WHERE type = 'COUPON_PUBLISHED' AND store_id = " + storeId);
        }
        return new Delivered(claimAlerts[0], claimAlerts[1], claimLedger[0], claimLedger[1], publicationAlerts[0],
                publicationAlerts[1], publicationLedger[0]);
    }

    private static long[] counts(Connection db, String sql) throws Exception {
        try (PreparedStatement query = db.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
            rows.next();
            return new long[] {rows.getLong(1), rows.getLong(2)};
        }
    }

    private static void subscribe(Connection db, long storeId) throws Exception {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO subscriptions (user_id, store_id, store_name, "
                + "created_at) VALUES (?, ?, 'Fault suite store during an SQS outage', ?)")) {
            Timestamp now = Timestamp.from(Instant.now());
            for (int i = 0; i < SUBSCRIBERS; i++) {
                insert.setLong(1, FIRST_SUBSCRIBER + i);
                insert.setLong(2, storeId);
                insert.setTimestamp(3, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Messages (visible, in flight, delayed) in each dead-letter queue. */
    private static Map<String, Long> deadLetters() {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:9324"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            for (String queue : sqs.listQueues().queueUrls()) {
                if (!queue.endsWith("-dlq")) {
                    continue;
                }
                Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queue)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
                counts.put(queue.substring(queue.lastIndexOf('/') + 1), attributes.values().stream()
                        .mapToLong(Long::parseLong).sum());
            }
        }
        return counts;
    }
}
