package dev.couponhub.notification.stream;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.notification.inbox.Notification;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * One alert's stream event, rendered once for all its recipients: {@code event:} its type and {@code data:} the
 * Notification JSON (with the mapper the web layer has), UTF-8 encoded, around the one thing that differs between
 * recipients, the notification id (the {@code id:} field and the JSON's first member). A stream's event is then these
 * bytes and that id in one buffer, where rendering it per stream cost a JSON serialisation and three copies of the
 * text for each of a fan-out's recipients.
 */
final class RenderedAlert {

    private static final byte[] ID_FIELD = "id:".getBytes(StandardCharsets.US_ASCII);
    private static final String JSON_START = "{\"id\":0";

    /** From the end of the {@code id:} line to the id in the JSON: {@code \nevent:TYPE\ndata:{"id":}. */
    private final byte[] fields;
    /** From after the id in the JSON to the end of the event: {@code ,"type":...}\n\n}. */
    private final byte[] rest;

    private RenderedAlert(byte[] fields, byte[] rest) {
        this.fields = fields;
        this.rest = rest;
    }

    /** Renders a notification's event for any id: the notification's own id is not used. */
    static RenderedAlert of(Notification notification, ObjectMapper json) {
        String rendered;
        try {
            rendered = json.writeValueAsString(new Notification(0, notification.type(), notification.title(),
                    notification.body(), notification.data(), notification.createdAt(), notification.readAt()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A notification could not be written as JSON", e);
        }
        if (!rendered.startsWith(JSON_START)) {
            throw new IllegalStateException("The Notification JSON no longer starts with its id: " + rendered);
        }
        if (notification.type().indexOf('\n') >= 0 || notification.type().indexOf('\r') >= 0) {
            throw new IllegalStateException("An event name on more than one line: " + notification.type());
        }
        // JSON escapes line ends inside strings, so the data is one line
        byte[] fields = ("\nevent:" + notification.type() + "\ndata:{\"id\":").getBytes(StandardCharsets.UTF_8);
        byte[] rest = (rendered.substring(JSON_START.length()) + "\n\n").getBytes(StandardCharsets.UTF_8);
        return new RenderedAlert(fields, rest);
    }

    /** The event of notification {@code id}, in one buffer of {@code buffers}. */
    DataBuffer write(long id, DataBufferFactory buffers) {
        byte[] digits = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
        DataBuffer buffer = buffers.allocateBuffer(ID_FIELD.length + 2 * digits.length + fields.length + rest.length);
        return buffer.write(ID_FIELD).write(digits).write(fields).write(digits).write(rest);
    }
}
