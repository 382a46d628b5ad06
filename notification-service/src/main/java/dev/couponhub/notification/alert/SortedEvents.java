package dev.couponhub.notification.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The events of one message, sorted by what becomes of them. A message may carry many events (the outbox relay packs
 * them); each is judged on its own, so that one bad event never holds back its neighbours.
 *
 * @param holderAlerts alerts to one recipient each ({@link AlertType#toHolder()}), in the message's order: written
 *                     together in one transaction
 * @param publications coupons published: each fanned out to the store's subscribers on its own
 * @param refused      events that cannot be handled: each is moved alone to the dead-letter queue
 * @param ignored      valid events of types that alert nobody
 */
record SortedEvents(List<Alert> holderAlerts, List<Publication> publications, List<Refused> refused, int ignored) {

    /** The event ids of the outbox (UUIDs) and of any other producer: printable ASCII, as the column stores them. */
    private static final Pattern EVENT_ID = Pattern.compile("[\\x21-\\x7E]{1,64}");

    /** A published coupon, to be fanned out to the subscribers of {@code storeId}. */
    record Publication(String eventId, long storeId, AlertContent content) {
    }

    /**
     * An event that cannot be handled.
     *
     * @param event   the event as it came (what goes to the dead-letter queue)
     * @param eventId its id, or {@code null} when it has no valid one
     * @param reason  what is wrong with it, never its content
     */
    record Refused(JsonNode event, String eventId, String reason) {
    }

    static SortedEvents of(List<JsonNode> events, AlertTexts texts) {
        List<Alert> holderAlerts = new ArrayList<>();
        List<Publication> publications = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        int ignored = 0;
        for (JsonNode event : events) {
            if (event == null || !event.isObject()) {
                refused.add(new Refused(event, null, "not a JSON object"));
                continue;
            }
            JsonNode id = event.path("eventId");
            if (!id.isTextual() || !EVENT_ID.matcher(id.asText()).matches()) {
                refused.add(new Refused(event, null, "without a valid eventId"));
                continue;
            }
            String eventId = id.asText();
            JsonNode type = event.path("type");
            if (!type.isTextual() || type.asText().isBlank()) {
                refused.add(new Refused(event, eventId, "without a type"));
                continue;
            }
            Optional<AlertType> alertType = AlertType.of(type.asText());
            if (alertType.isEmpty()) {
                ignored++;
                continue;
            }
            JsonNode payload = event.path("payload");
            try {
                if (alertType.get().toHolder()) {
                    long holder = positiveId(payload, "userId");
                    holderAlerts.add(new Alert(eventId, holder, texts.compose(alertType.get(), payload)));
                } else {
                    AlertContent content = texts.compose(alertType.get(), payload);
                    publications.add(new Publication(eventId, positiveId(payload, "storeId"), content));
                }
            } catch (MalformedEventException e) {
                refused.add(new Refused(event, eventId, e.getMessage()));
            }
        }
        return new SortedEvents(List.copyOf(holderAlerts), List.copyOf(publications), List.copyOf(refused), ignored);
    }

    private static long positiveId(JsonNode payload, String field) {
        JsonNode value = payload.path(field);
        if (!value.canConvertToLong() || value.asLong() <= 0) {
            throw new MalformedEventException("payload lacks a positive " + field);
        }
        return value.asLong();
    }
}
