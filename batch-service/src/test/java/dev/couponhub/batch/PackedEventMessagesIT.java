package dev.couponhub.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.couponhub.batch.ledger.UsageLedger;
import dev.couponhub.kit.messaging.DeadLetters;
import dev.couponhub.kit.messaging.EventMessages;
import dev.couponhub.testsupport.Queues;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One SQS message carrying several events, as coupon-service's relay packs them (a JSON array): every valid event
 * recorded once, the cancellation flag right whatever the order inside the message, the invalid event alone in the
 * dead-letter queue, and a redelivery of the same message recording nothing more. The queue keeps a message hidden
 * for 30 s, so that each delivery here is handled exactly once.
 */
class PackedEventMessagesIT extends BatchItSupport {

    private static final String QUEUE = "stats-packed-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String DLQ = QUEUE + "-dlq";
    private static final SqsClient SQS = SqsClient.builder().endpointOverride(URI.create(Queues.endpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build();
    private static final Queues QUEUES = new Queues();

    @DynamicPropertySource
    static void queue(DynamicPropertyRegistry registry) {
        String dlqUrl = SQS.createQueue(request -> request.queueName(DLQ)).queueUrl();
        String dlqArn = SQS.getQueueAttributes(request -> request.queueUrl(dlqUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        SQS.createQueue(request -> request.queueName(QUEUE).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "30",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"5\"}")));
        registry.add("couponhub.stats.events-queue", () -> QUEUE);
    }

    @AfterAll
    static void closeQueues() {
        QUEUES.close();
        SQS.close();
    }

    @Autowired
    MeterRegistry meters;

    @Autowired
    UsageLedger ledger;

    @Test
    void messageOfSeveralEventsThenValidOnesRecordedOnceAndOnlyTheInvalidOneDeadLettered() throws Exception {
        long store = newId();
        long couponA = newId();
        long couponB = newId();
        long issuedA1 = newId();
        long issuedA2 = newId();
        long issuedB1 = newId();
        Instant at = Instant.parse("2026-06-01T03:00:00Z");
        String claimA1 = claimed(couponA, store, issuedA1, at);
        String claimA2 = claimed(couponA, store, issuedA2, at.plusSeconds(1));
        String claimB1 = claimed(couponB, store, issuedB1, at.plusSeconds(2));
        String redeemA1 = redeemed(couponA, store, issuedA1, "order-a", 300, at.plusSeconds(60));
        String cancelA1 = cancelled(couponA, store, issuedA1, "order-a", 300, at.plusSeconds(120));
        String redeemB1 = redeemed(couponB, store, issuedB1, "order-b", 400, at.plusSeconds(90));
        String invalid = "{\"eventId\":\"invalid-" + couponA + "\",\"type\":\"COUPON_CLAIMED\",\"occurredAt\":\""
                + at + "\",\"payload\":{\"issuedCouponId\":" + newId() + ",\"couponId\":" + couponA
                + ",\"storeId\":" + store + "}}"; // no couponName
        String unknown = event(UUID.randomUUID().toString(), "COUPON_SOMETHING_NEW", at, Map.of("couponId", couponA));
        List<String> valid = List.of(claimA1, cancelA1, claimA2, redeemA1, claimB1, redeemB1);
        // the cancellation travels before the redemption it undoes
        String body = EventMessages.pack(List.of(claimA1, cancelA1, invalid, claimA2, redeemA1, unknown, claimB1,
                redeemB1));
        double recordedBefore = events("recorded");
        double duplicatesBefore = events("duplicate");

        QUEUES.send(QUEUE, body);

        // the invalid event is dead-lettered after the others are committed: once it is there, the message is done
        List<Message> dead = deadLettered(1);
        assertThat(dead).hasSize(1);
        assertThat(JSON.readTree(dead.get(0).body())).isEqualTo(JSON.readTree(invalid));
        assertThat(dead.get(0).messageAttributes().get(DeadLetters.REASON_ATTRIBUTE).stringValue())
                .contains("couponName");
        assertThat(eventIds(couponA, couponB)).containsExactlyInAnyOrderElementsOf(eventIdsOf(valid));
        assertThat(redemptionCancelled(redeemA1)).isTrue();
        assertThat(redemptionCancelled(redeemB1)).isFalse();
        assertThat(jdbc.queryForList("SELECT CONCAT(coupon_id, ':', store_id, ':', name) FROM coupon_catalog "
                + "WHERE coupon_id IN (?, ?)", String.class, couponA, couponB)).containsExactlyInAnyOrder(
                couponA + ":" + store + ":Coupon " + couponA, couponB + ":" + store + ":Coupon " + couponB);
        assertThat(events("recorded") - recordedBefore).isEqualTo(valid.size());
        assertThat(events("duplicate") - duplicatesBefore).isZero();

        QUEUES.send(QUEUE, body); // delivered again

        // its invalid event is dead-lettered again (at least once), and that is all the redelivery changes
        List<Message> deadAgain = deadLettered(1);
        assertThat(deadAgain).extracting(message -> JSON.readTree(message.body())).containsExactly(
                JSON.readTree(invalid));
        assertThat(eventIds(couponA, couponB)).containsExactlyInAnyOrderElementsOf(eventIdsOf(valid));
        assertThat(redemptionCancelled(redeemA1)).isTrue();
        assertThat(redemptionCancelled(redeemB1)).isFalse();
        assertThat(events("recorded") - recordedBefore).isEqualTo(valid.size());
        assertThat(events("duplicate") - duplicatesBefore).isEqualTo(valid.size());
    }

    @Test
    void singlePlainEventThenRecordedAsBefore() {
        long coupon = newId();
        String claim = claimed(coupon, newId(), newId(), Instant.parse("2026-06-02T03:00:00Z"));
        double recordedBefore = events("recorded");

        QUEUES.send(QUEUE, claim);

        await().atMost(Duration.ofSeconds(20)).until(() -> events("recorded") - recordedBefore == 1);
        assertThat(eventIds(coupon, coupon)).containsExactlyElementsOf(eventIdsOf(List.of(claim)));
    }

    @Test
    void messageMixingRecordedAndNewEventsThenOnlyTheNewOnesCountAndTheirFlagsAreRight() {
        long store = newId();
        long coupon = newId();
        long issuedC = newId();
        long issuedD = newId();
        Instant at = Instant.parse("2026-06-03T03:00:00Z");
        String claimC = claimed(coupon, store, issuedC, at);
        String redeemC = redeemed(coupon, store, issuedC, "order-c", 100, at.plusSeconds(60));
        String cancelC = cancelled(coupon, store, issuedC, "order-c", 100, at.plusSeconds(120));
        String redeemD = redeemed(coupon, store, issuedD, "order-d", 200, at.plusSeconds(60));
        String cancelD = cancelled(coupon, store, issuedD, "order-d", 200, at.plusSeconds(120));

        UsageLedger.Outcome first = ledger.record(EventMessages.pack(List.of(claimC, redeemC, cancelD)));
        assertThat(first.recorded()).isEqualTo(3);
        assertThat(redemptionCancelled(redeemC)).isFalse();

        // two already recorded, one carried twice, and two new: a cancellation after its redemption was recorded, and
        // a redemption after its cancellation was
        UsageLedger.Outcome second = ledger.record(EventMessages.pack(List.of(redeemC, cancelC, redeemD, claimC,
                cancelC)));

        assertThat(second).isEqualTo(new UsageLedger.Outcome(2, 3, 0, List.of()));
        assertThat(redemptionCancelled(redeemC)).isTrue();
        assertThat(redemptionCancelled(redeemD)).isTrue();
        assertThat(eventIds(coupon, coupon)).containsExactlyInAnyOrderElementsOf(
                eventIdsOf(List.of(claimC, redeemC, cancelC, redeemD, cancelD)));
    }

    @Test
    void messageOfMoreEventsThanOneStatementTakesThenEveryOneRecordedOnce() {
        long store = newId();
        long coupon = newId();
        List<String> claims = new ArrayList<>();
        for (int i = 0; i < 2 * UsageLedger.ROWS_PER_STATEMENT + 1; i++) {
            claims.add(claimed(coupon, store, newId(), Instant.parse("2026-06-04T03:00:00Z").plusSeconds(i)));
        }

        assertThat(ledger.record(EventMessages.pack(claims)).recorded()).isEqualTo(claims.size());
        assertThat(ledger.record(EventMessages.pack(claims)).duplicates()).isEqualTo(claims.size());
        assertThat(eventIds(coupon, coupon)).containsExactlyInAnyOrderElementsOf(eventIdsOf(claims));
    }

    /**
     * Every message now in the dead-letter queue, with its attributes, once at least {@code atLeast} have arrived
     * (received until one receive comes back empty; each is deleted).
     */
    private static List<Message> deadLettered(int atLeast) {
        String url = SQS.getQueueUrl(request -> request.queueName(DLQ)).queueUrl();
        List<Message> all = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Message> received = SQS.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageAttributeNames("All")).messages();
            for (Message message : received) {
                all.add(message);
                SQS.deleteMessage(request -> request.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
            return all.size() >= atLeast && received.isEmpty();
        });
        return all;
    }

    private List<String> eventIds(long couponA, long couponB) {
        return jdbc.queryForList("SELECT event_id FROM usage_events WHERE coupon_id IN (?, ?)", String.class,
                couponA, couponB);
    }

    private boolean redemptionCancelled(String redemption) {
        Boolean flag = jdbc.queryForObject("SELECT redemption_cancelled FROM usage_events WHERE event_id = ?",
                Boolean.class, eventIdOf(redemption));
        return Boolean.TRUE.equals(flag);
    }

    private static List<String> eventIdsOf(List<String> events) {
        return events.stream().map(PackedEventMessagesIT::eventIdOf).toList();
    }

    private static String eventIdOf(String event) {
        try {
            return JSON.readTree(event).path("eventId").asText();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private double events(String outcome) {
        return meters.get("couponhub.stats.events").tag("outcome", outcome).counter().count();
    }
}
