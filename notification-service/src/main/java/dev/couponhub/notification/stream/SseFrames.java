package dev.couponhub.notification.stream;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.MediaType;

/**
 * The notification stream's bytes. The stream writes them itself instead of handing {@code ServerSentEvent}s to
 * Spring's SSE writer, which, for every event of every stream, copied the event's fields and text into a
 * {@code StringBuilder} (UTF-16 with Korean text, grown several times), made a {@code String} of it and encoded that
 * to UTF-8: with the JSON rendered per recipient, about 40 % of what a fan-out to 10,000 streams allocated
 * (docs/benchmarks.md). An alert is now rendered once for all its recipients ({@link RenderedAlert}) and each
 * stream's event is that rendering with its notification id, written into one buffer. The format is that writer's:
 * {@code id:}, {@code event:} and {@code data:} lines, a comment as {@code :text}, an empty line after each event
 * ({@code SseFramesTests} compares the two).
 */
final class SseFrames {

    /** The stream's content type, as Spring's SSE writer set it. */
    static final MediaType EVENT_STREAM = new MediaType(MediaType.TEXT_EVENT_STREAM, StandardCharsets.UTF_8);

    /** Each stream's first event. */
    static final byte[] CONNECTED = comment("connected");

    /** The comment each stream gets every heartbeat. */
    static final byte[] KEEP_ALIVE = comment("keep-alive");

    /** The event name of the last event of a stream closed by the server. */
    static final String CLOSED = "closed";

    private static final Pattern REASON = Pattern.compile("[A-Z_]{1,64}");

    private SseFrames() {
    }

    static byte[] comment(String text) {
        return (":" + text + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The last event of a stream the server closes: {@code closed}, data {@code {"reason": ...}}. */
    static byte[] closed(String reason) {
        if (!REASON.matcher(reason).matches()) {
            throw new IllegalArgumentException("A close reason is a constant's name: " + reason);
        }
        return ("event:" + CLOSED + "\ndata:{\"reason\":\"" + reason + "\"}\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** One item of a stream's buffer as the bytes to send: a {@link StreamAlert} or a ready frame. */
    static DataBuffer frame(Object item, DataBufferFactory buffers) {
        if (item instanceof StreamAlert alert) {
            return alert.event().write(alert.id(), buffers);
        }
        if (item instanceof byte[] bytes) {
            return buffers.wrap(bytes);
        }
        throw new IllegalArgumentException("Not a stream item: " + item);
    }
}
