package dev.couponhub.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.Queues;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The ledger fed through the real queue: events recorded once however often they arrive, poison messages moved to
 * the dead-letter queue while the messages after them are still recorded (an invalid event, and a body that carries no
 * event at all, at once by the service). The queue here redelivers after 5 s
 * and gives up after 2 receives, so that the dead-letter path takes seconds, not minutes. Not less than 5 s: the
 * listener deletes what it handled in batches up to a second later, and a slow first handling (a cold JVM on a busy
 * machine) must not see a message that succeeded received a third time and dead-lettered. Messages of several
 * events: {@link PackedEventMessagesIT}.
 */
class UsageLedgerIT extends BatchItSupport {

    private static final String QUEUE = "stats-ledger-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String DLQ = QUEUE + "-dlq";
    private static final Queues QUEUES = new Queues();

    @DynamicPropertySource
    static void queue(DynamicPropertyRegistry registry) {
        try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(Queues.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            String dlqUrl = sqs.createQueue(request -> request.queueName(DLQ)).queueUrl();
            String dlqArn = sqs.getQueueAttributes(request -> request.queueUrl(dlqUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            sqs.createQueue(request -> request.queueName(QUEUE).attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, "5",
                    QueueAttributeName.REDRIVE_POLICY,
                    "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}")));
        }
        registry.add("couponhub.stats.events-queue", () -> QUEUE);
    }

    @AfterAll
    static void closeQueues() {
        QUEUES.close();
    }

    @Test
    void eventDeliveredThreeTimesThenRecordedOnceWithItsDayInSeoul() {
        long store = stores.addStore(newId());
        long coupon = newId();
        String message = claimed(coupon, store, newId(), Instant.parse("2026-05-01T16:00:00Z")); // 05-02 01:00 KST
        QUEUES.send(QUEUE, message);
        QUEUES.send(QUEUE, message);
        QUEUES.send(QUEUE, message);
        String marker = redeemed(coupon, store, newId(), "order-1", 500, Instant.parse("2026-05-01T17:00:00Z"));
        QUEUES.send(QUEUE, marker);

        await().atMost(Duration.ofSeconds(20)).until(() -> rows(coupon) == 2);
        // every copy was consumed (nothing left in flight) and still only one row for the claim
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> rows(coupon) == 2);
        Map<String, Object> claim = jdbc.queryForMap(
                "SELECT type, kind, day, store_id FROM usage_events WHERE coupon_id = ? AND kind = 1", coupon);
        assertThat(claim.get("type")).isEqualTo("COUPON_CLAIMED");
        assertThat(claim.get("day").toString()).isEqualTo("2026-05-02");
        assertThat(((Number) claim.get("store_id")).longValue()).isEqualTo(store);
        assertThat(jdbc.queryForObject("SELECT name FROM coupon_catalog WHERE coupon_id = ?", String.class, coupon))
                .isEqualTo("Coupon " + coupon);
        Map<String, Object> redemption = jdbc.queryForMap(
                "SELECT order_id, discount_amount FROM usage_events WHERE coupon_id = ? AND kind = 2", coupon);
        assertThat(redemption.get("order_id")).isEqualTo("order-1");
        assertThat(((Number) redemption.get("discount_amount")).longValue()).isEqualTo(500);
    }

    @Test
    void poisonMessageThenDeadLetteredAndTheNextMessageStillRecorded() {
        long store = stores.addStore(newId());
        long coupon = newId();
        String poison = "{\"eventId\":\"poison-" + coupon + "\",\"type\":\"COUPON_CLAIMED\",\"occurredAt\":\"soon\","
                + "\"payload\":{\"couponId\":" + coupon + "}}";
        QUEUES.send(QUEUE, poison);
        QUEUES.send(QUEUE, "\"a JSON string, not an event " + coupon + "\"");
        QUEUES.send(QUEUE, claimed(coupon, store, newId(), Instant.parse("2026-05-03T03:00:00Z")));
        QUEUES.send(QUEUE, event(UUID.randomUUID().toString(), "COUPON_SOMETHING_NEW", Instant.now(),
                Map.of("couponId", coupon)));

        await().atMost(Duration.ofSeconds(10)).until(() -> rows(coupon) == 1);
        List<JsonNode> dead = QUEUES.receive(DLQ, body -> body.toString().contains(Long.toString(coupon)), 2,
                Duration.ofSeconds(45));
        assertThat(dead).hasSize(2);
        assertThat(rows(coupon)).isEqualTo(1); // the unknown type was acknowledged and not recorded
    }

    private int rows(long coupon) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM usage_events WHERE coupon_id = ?", Integer.class,
                coupon);
        return count == null ? 0 : count;
    }
}
