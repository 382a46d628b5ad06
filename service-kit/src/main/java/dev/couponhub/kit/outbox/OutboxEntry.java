package dev.couponhub.kit.outbox;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

/**
 * One unsent row of the outbox, as the relay claimed it.
 *
 * @param id          the row's id (its place in the order events are sent in)
 * @param eventId     the event's id
 * @param destination the one queue this row goes to (a name or a URL), or null: every queue of
 *                    {@code couponhub.outbox.queues}
 * @param type        the event's type
 * @param payload     the payload, a JSON object
 * @param occurredAt  when the event was stored
 * @param attempts    how many times SQS refused it so far (an unreachable SQS does not count)
 * @param traceParent the sampled trace the event continues (a W3C {@code traceparent}), or null
 */
record OutboxEntry(long id, String eventId, String destination, String type, String payload, Instant occurredAt,
                   int attempts, String traceParent) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An entry of no trace. */
    OutboxEntry(long id, String eventId, String destination, String type, String payload, Instant occurredAt,
                int attempts) {
        this(id, eventId, destination, type, payload, occurredAt, attempts, null);
    }

    /** The SQS message body: {@code {eventId, type, occurredAt, payload}}, the payload as it was stored. */
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

    /**
     * When to try again after SQS refused it once more: a back-off that doubles with every refusal, up to {@code max}.
     */
    Instant nextAttemptAfterFailure(Instant now, Duration initial, Duration max) {
        return now.plus(backoff(attempts + 1, initial, max));
    }

    /** {@code initial * 2^(failures - 1)}, at most {@code max}. */
    static Duration backoff(int failures, Duration initial, Duration max) {
        int doublings = Math.max(0, Math.min(failures - 1, 30));
        Duration backoff = initial.multipliedBy(1L << doublings);
        return backoff.compareTo(max) > 0 ? max : backoff;
    }
}
