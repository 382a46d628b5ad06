package dev.couponhub.kit.messaging;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The body of an event message: one event ({@code {eventId, type, occurredAt, payload}}) or several of them in a JSON
 * array, as an outbox relay with {@code couponhub.outbox.relay.events-per-message} above 1 packs them. Each event keeps
 * its own {@code eventId}; a consumer handles them one by one (or together) and dead-letters only the ones it cannot
 * read ({@link DeadLetters}).
 */
public final class EventMessages {

    private EventMessages() {
    }

    /**
     * The events of one message body, in their order. The elements are not checked: an element that is not a valid
     * event is the consumer's to refuse (and to dead-letter on its own), not a reason to refuse its neighbours.
     *
     * @throws UnreadableMessageException when the body is not JSON, or neither an object nor a non-empty array
     */
    public static List<JsonNode> read(ObjectMapper json, String body) {
        JsonNode root;
        try {
            root = body == null ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UnreadableMessageException("event message is not JSON", e);
        }
        if (root != null && root.isObject()) {
            return List.of(root);
        }
        if (root != null && root.isArray() && !root.isEmpty()) {
            List<JsonNode> events = new ArrayList<>(root.size());
            root.forEach(events::add);
            return events;
        }
        throw new UnreadableMessageException("event message is neither an event object nor an array of events");
    }

    /** One message body carrying the given events (each a JSON object, as text): the event itself when alone. */
    public static String pack(List<String> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events to pack");
        }
        if (events.size() == 1) {
            return events.get(0);
        }
        StringBuilder body = new StringBuilder(events.stream().mapToInt(String::length).sum() + events.size() + 1);
        body.append('[');
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(events.get(i));
        }
        return body.append(']').toString();
    }
}
