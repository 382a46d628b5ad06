package dev.couponhub.notification.stream;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.notification.inbox.Notification;
import org.springframework.http.codec.ServerSentEvent;

/** The events of the notification stream. */
final class StreamEvents {

    /** The event name of the last event of a stream closed by the server. */
    static final String CLOSED = "closed";

    private StreamEvents() {
    }

    /**
     * A notification: {@code event:} its type, {@code id:} its id, {@code data:} the Notification JSON, rendered here
     * (with the mapper the web layer's JSON encoder has). Spring's SSE writer sends an event whose data is text as one
     * buffer, which is one HTTP/2 DATA frame; with an object as data it sends three (the fields, the JSON from its
     * encoder, the blank line) and runs the encoder's pipeline for each event, and a fan-out writes one event per
     * stream.
     */
    static ServerSentEvent<Object> of(Notification notification, ObjectMapper json) {
        String data;
        try {
            data = json.writeValueAsString(notification);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A notification could not be written as JSON", e);
        }
        return ServerSentEvent.builder()
                .event(notification.type())
                .id(Long.toString(notification.id()))
                .data(data)
                .build();
    }

    static ServerSentEvent<Object> closed(String reason) {
        return ServerSentEvent.builder().event(CLOSED).data(Map.of("reason", reason)).build();
    }

    static ServerSentEvent<Object> comment(String text) {
        return ServerSentEvent.builder().comment(text).build();
    }
}
