package dev.couponhub.notification.stream;

import java.util.Map;

import dev.couponhub.notification.inbox.Notification;
import org.springframework.http.codec.ServerSentEvent;

/** The events of the notification stream. */
final class StreamEvents {

    /** The event name of the last event of a stream closed by the server. */
    static final String CLOSED = "closed";

    private StreamEvents() {
    }

    /** A notification: {@code event:} its type, {@code id:} its id, {@code data:} the Notification JSON. */
    static ServerSentEvent<Object> of(Notification notification) {
        return ServerSentEvent.builder()
                .event(notification.type())
                .id(Long.toString(notification.id()))
                .data(notification)
                .build();
    }

    static ServerSentEvent<Object> closed(String reason) {
        return ServerSentEvent.builder().event(CLOSED).data(Map.of("reason", reason)).build();
    }

    static ServerSentEvent<Object> comment(String text) {
        return ServerSentEvent.builder().comment(text).build();
    }
}
