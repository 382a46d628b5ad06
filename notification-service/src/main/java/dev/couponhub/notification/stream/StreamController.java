package dev.couponhub.notification.stream;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.kit.caller.Caller;
import dev.couponhub.notification.config.NotificationProperties;
import dev.couponhub.notification.inbox.Notification;
import dev.couponhub.notification.inbox.NotificationRepository;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

@RestController
@Tag(name = "Notifications")
@SecurityRequirement(name = "bearerAuth")
class StreamController {

    private final ConnectionRegistry connections;
    private final StreamLimits limits;
    private final NotificationRepository notifications;
    private final Scheduler blocking;
    private final int replayLimit;
    private final ObjectMapper json;

    StreamController(ConnectionRegistry connections, StreamLimits limits, NotificationRepository notifications,
                     @Qualifier("blocking") Scheduler blocking, NotificationProperties properties, ObjectMapper json) {
        this.connections = connections;
        this.limits = limits;
        this.notifications = notifications;
        this.blocking = blocking;
        this.replayLimit = properties.sse().replayLimit();
        this.json = json;
    }

    @GetMapping(path = "/api/v1/notifications/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Live notifications (Server-Sent Events)", description = """
            Each new notification of the caller is one event: `event:` its type, `id:` its id, `data:` the \
            Notification JSON. A reconnect with `Last-Event-ID` (or, for EventSource, the `lastEventId` query \
            parameter) first replays the notifications created after that id (the newest 100 of them at most, oldest \
            first), then goes on live. A comment line keeps the connection alive every 15 seconds (configurable, at \
            most 30). An alert reaches the stream whichever instance of the service holds it. A user holds at most 5 \
            open streams: when a sixth opens, the oldest gets a last event `closed` with data \
            `{"reason":"TOO_MANY_STREAMS"}` and ends (its client should not reconnect). A stream ends after an hour \
            (configurable); the client reconnects with `Last-Event-ID` and loses nothing.""")
    @ApiResponse(responseCode = "200", description = "The stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE))
    @ApiResponse(responseCode = "401", description = "UNAUTHORIZED")
    Mono<Void> stream(@Parameter(hidden = true) Caller caller,
                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                      @RequestParam(name = "lastEventId", required = false) String lastEventIdQuery,
                      ServerHttpResponse response) {
        // the stream's own bytes (SseFrames), each event flushed as Spring's SSE writer flushed them
        response.getHeaders().setContentType(SseFrames.EVENT_STREAM);
        DataBufferFactory buffers = response.bufferFactory();
        return response.writeAndFlushWith(events(caller, lastEventId != null ? lastEventId : lastEventIdQuery)
                .map(item -> Mono.just(SseFrames.frame(item, buffers))));
    }

    /**
     * What the stream sends, in order: {@link SseFrames#CONNECTED}, the replay after {@code lastEventId} (if any),
     * then what the connection's buffer gets ({@link StreamAlert}s and ready frames).
     */
    Flux<Object> events(Caller caller, String lastEventId) {
        Long last = parseId(lastEventId);
        return Flux.defer(() -> {
            // registered first, buffering, so nothing created during the replay is lost; the connection's one buffer
            // also carries the keep-alives and the last closed event (ConnectionRegistry), so a stream is three
            // operators and no timer
            ConnectionRegistry.Connection connection = connections.open(caller.userId());
            limits.admit(connection).subscribe();
            Flux<Object> live = connection.live();
            Flux<Object> replay = Flux.empty();
            if (last != null) {
                Set<Long> replayed = new HashSet<>();
                replay = Mono.fromCallable(() -> notifications.after(caller.userId(), last, replayLimit))
                        .subscribeOn(blocking)
                        .flatMapIterable(found -> {
                            List<Object> events = new ArrayList<>(found.size());
                            for (Notification notification : found) {
                                replayed.add(notification.id());
                                events.add(new StreamAlert(notification.id(), RenderedAlert.of(notification, json)));
                            }
                            return events;
                        });
                // after the replay (concat), only what it did not send
                live = live.filter(item -> !(item instanceof StreamAlert alert)
                        || alert.id() > last && !replayed.contains(alert.id()));
            }
            return Flux.concat(Mono.just(SseFrames.CONNECTED), replay, live)
                    .doFinally(signal -> {
                        connections.close(connection);
                        limits.release(connection);
                    });
        });
    }

    private static Long parseId(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(raw.trim());
            return id >= 0 ? id : null;
        } catch (NumberFormatException e) {
            return null; // not one of ours: start live
        }
    }
}
