package dev.couponhub.notification.stock;

import java.time.Duration;

import dev.couponhub.notification.config.NotificationProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.core.scheduler.Scheduler;

/** {@code GET /api/v1/coupons/{id}/stock/stream}: a coupon's remaining stock, live, for anyone. */
@RestController
@Tag(name = "Coupons")
class StockStreamController {

    static final String STOCK = "stock";
    private static final int MERGE_PREFETCH = 8;

    private final StockWatch watch;
    private final Scheduler blocking;
    private final Duration heartbeat;
    private final Duration maxLifetime;

    StockStreamController(StockWatch watch, @Qualifier("blocking") Scheduler blocking,
                          NotificationProperties properties) {
        this.watch = watch;
        this.blocking = blocking;
        this.heartbeat = properties.sse().heartbeat();
        this.maxLifetime = properties.sse().maxLifetime();
    }

    @GetMapping(path = "/api/v1/coupons/{id}/stock/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Live stock of a coupon (Server-Sent Events)", description = """
            Anonymous. Event `stock` with data `{couponId, remainingQuantity, status}` at once, then whenever it \
            changed (at most once a second: the stock is read every second, configurable down to 250 ms), and a last one when the \
            coupon is `SOLD_OUT` or `ENDED`, after which the stream ends. A comment line keeps the connection alive \
            every 15 seconds. A stream ends after an hour (configurable); the client reconnects and gets the stock at \
            once.""")
    @ApiResponse(responseCode = "200", description = "The stream")
    @ApiResponse(responseCode = "404", description = "COUPON_NOT_FOUND")
    @ApiResponse(responseCode = "503", description = "DEPENDENCY_UNAVAILABLE: coupon-service did not answer in time")
    Flux<ServerSentEvent<String>> stream(@Parameter(description = "the coupon") @PathVariable("id") long couponId) {
        return Mono.fromCallable(() -> watch.join(couponId)).subscribeOn(blocking).flatMapMany(view -> {
            Flux<StockWatch.Update> updates = view.stock().distinctUntilChanged(StockWatch.Update::stock);
            // the data is JSON written once per change for every viewer: a String is sent as it is
            Flux<ServerSentEvent<String>> stock = updates
                    .takeUntil(update -> update.stock().ends())
                    .map(update -> ServerSentEvent.builder(update.json()).event(STOCK).build());
            Flux<ServerSentEvent<String>> keepAlive = Flux.interval(heartbeat)
                    .map(tick -> ServerSentEvent.<String>builder().comment("keep-alive").build());
            return Flux.merge(MERGE_PREFETCH, stock.materialize(), keepAlive.map(Signal::next))
                    .<ServerSentEvent<String>>dematerialize()
                    .take(maxLifetime)
                    .doFinally(signal -> view.leave().run());
        });
    }
}
