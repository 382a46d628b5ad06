package dev.couponhub.coupon.events;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One event waiting in the outbox to be sent (or already sent, until it is purged). */
@Entity
@Table(name = "outbox_events")
class OutboxEntry {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "event_id", nullable = false, columnDefinition = "char(36)")
    private String eventId;

    @Column(nullable = false, length = 200)
    private String destination;

    @Column(nullable = false, length = 50)
    private String type;

    @Column(name = "aggregate_id", nullable = false)
    private long aggregateId;

    @Column(nullable = false, columnDefinition = "longtext")
    private String payload;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(name = "sent_at")
    private Instant sentAt;

    @Column(nullable = false)
    private int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    private Instant nextAttemptAt;

    protected OutboxEntry() {
        // for JPA
    }

    private OutboxEntry(String eventId, String destination, String type, long aggregateId, String payload,
                        Instant occurredAt) {
        this.eventId = eventId;
        this.destination = destination;
        this.type = type;
        this.aggregateId = aggregateId;
        this.payload = payload;
        this.occurredAt = occurredAt;
        this.nextAttemptAt = occurredAt;
    }

    /** A new unsent entry of event {@code eventId} for one queue; {@code payloadJson} is the payload as a JSON object. */
    static OutboxEntry of(String eventId, String destination, String type, long aggregateId, String payloadJson,
                          Instant occurredAt) {
        return new OutboxEntry(eventId, destination, type, aggregateId, payloadJson, occurredAt);
    }

    static String newEventId() {
        return UUID.randomUUID().toString();
    }

    /** The SQS message body: {@code {eventId, type, occurredAt, payload}}. */
    String message() {
        ObjectNode message = JSON.createObjectNode();
        message.put("eventId", eventId);
        message.put("type", type);
        message.put("occurredAt", occurredAt.toString());
        message.putRawValue("payload", new RawValue(payload));
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write outbox event " + eventId, e);
        }
    }

    /** The send failed: try again after a back-off that doubles with every failure, up to {@code maxBackoff}. */
    void markFailed(Instant now, Duration initialBackoff, Duration maxBackoff) {
        attempts++;
        nextAttemptAt = now.plus(backoff(attempts, initialBackoff, maxBackoff));
    }

    /** {@code initial * 2^(failures - 1)}, at most {@code max}. */
    static Duration backoff(int failures, Duration initial, Duration max) {
        int doublings = Math.max(0, Math.min(failures - 1, 30));
        Duration backoff = initial.multipliedBy(1L << doublings);
        return backoff.compareTo(max) > 0 ? max : backoff;
    }

    boolean isSent() {
        return sentAt != null;
    }

    Long id() {
        return id;
    }

    String eventId() {
        return eventId;
    }

    String destination() {
        return destination;
    }

    String type() {
        return type;
    }

    long aggregateId() {
        return aggregateId;
    }

    String payload() {
        return payload;
    }

    Instant occurredAt() {
        return occurredAt;
    }

    Instant sentAt() {
        return sentAt;
    }

    int attempts() {
        return attempts;
    }

    Instant nextAttemptAt() {
        return nextAttemptAt;
    }

    @Override
    public String toString() {
        return "OutboxEntry[id=" + id + ", eventId=" + eventId + ", type=" + type + ", sent=" + isSent() + "]";
    }
}
