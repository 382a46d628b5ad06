package dev.couponhub.notification.stock;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.notification.config.NotificationProperties;
import dev.couponhub.notification.web.NotificationProblem;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The stock of the coupons someone watches on this instance, read from coupon-service once per {@code interval} for
 * all of them together (one {@code GetCoupons} call, whatever the number of viewers), and handed to every viewer of a
 * coupon when it changed, its event's JSON written once for all of them. So viewers cost the claim path one small read per interval per instance, nothing per viewer
 * or per claim; and a viewer gets at most one event per interval (one a second by default).
 *
 * <p>Each watched coupon has one sink that replays its latest stock to a new viewer; a coupon nobody watches any more
 * is dropped. At {@code SOLD_OUT} or {@code ENDED} the sink gets that last stock and completes.
 */
@Component
public class StockWatch {

    private static final Logger log = LoggerFactory.getLogger(StockWatch.class);

    /** One stock, and its event's data as JSON, written once for all the coupon's viewers. */
    public record Update(Stock stock, String json) {
    }

    /** One watched coupon: its viewers on this instance, its latest stock and the sink that carries it. */
    private static final class Watched {
        final Sinks.Many<Update> sink = Sinks.many().replay().latest();
        int viewers;
        volatile Stock last;
    }

    private final CouponStock coupons;
    private final ObjectMapper json;
    private final Map<Long, Watched> watched = new ConcurrentHashMap<>();
    private final Disposable poller;

    StockWatch(CouponStock coupons, NotificationProperties properties, @Qualifier("blocking") Scheduler blocking,
               ObjectMapper json, MeterRegistry meters) {
        this.coupons = coupons;
        this.json = json;
        Duration interval = properties.stock().interval();
        this.poller = Flux.interval(interval, interval, blocking).onBackpressureDrop().subscribe(tick -> poll());
        Gauge.builder("couponhub.stock.watched", watched, Map::size)
                .description("Coupons whose stock viewers of this instance watch live").register(meters);
    }

    /** One viewer: the coupon's stock now and on every change, and what to call when the viewer goes. */
    public record View(Flux<Update> stock, Runnable leave) {
    }

    /**
     * The coupon's stock now and on every change, ending with {@code SOLD_OUT} or {@code ENDED}; the caller must run
     * {@link View#leave()} when its viewer goes. Blocking (the first viewer of a coupon reads it at once).
     *
     * @throws ApiException {@code COUPON_NOT_FOUND}, or {@code DEPENDENCY_UNAVAILABLE} when coupon-service cannot
     *                      answer
     */
    public View join(long couponId) {
        Watched entry = watched.compute(couponId, (id, existing) -> {
            Watched w = existing != null ? existing : new Watched();
            w.viewers++;
            return w;
        });
        try {
            if (entry.last == null) {
                Stock now = coupons.of(List.of(couponId)).get(couponId);
                if (now == null) {
                    throw new ApiException(NotificationProblem.COUPON_NOT_FOUND,
                            "There is no coupon with id " + couponId + ".");
                }
                publish(couponId, entry, now);
            }
        } catch (RuntimeException e) {
            leave(couponId, entry);
            throw e;
        }
        // the viewer's own latest-only buffer: a slow viewer skips to the newest stock, it never holds a backlog
        return new View(entry.sink.asFlux().onBackpressureLatest(), () -> leave(couponId, entry));
    }

    /** A viewer of the coupon went; the last one stops its reads (an entry already ended is gone anyway). */
    private void leave(long couponId, Watched entry) {
        watched.computeIfPresent(couponId, (id, w) -> w != entry ? w : --w.viewers <= 0 ? null : w);
    }

    private void poll() {
        if (watched.isEmpty()) {
            return;
        }
        try {
            Map<Long, Stock> now = coupons.of(watched.keySet());
            watched.forEach((couponId, entry) -> {
                Stock stock = now.get(couponId);
                if (stock == null && entry.last != null) {
                    // deleted (its store was deleted): nothing more will change
                    stock = new Stock(couponId, entry.last.remainingQuantity(), "ENDED");
                }
                if (stock != null) {
                    publish(couponId, entry, stock);
                }
            });
        } catch (RuntimeException e) {
            // coupon-service down or slow: viewers keep the last stock; the next read tries again
            log.debug("Stock read failed: {}", e.toString());
        }
    }

    private void publish(long couponId, Watched entry, Stock stock) {
        synchronized (entry) {
            if (stock.equals(entry.last) || entry.last != null && entry.last.ends()) {
                return;
            }
            entry.last = stock;
            entry.sink.tryEmitNext(new Update(stock, json(stock)));
            if (stock.ends()) {
                entry.sink.tryEmitComplete();
                // a later viewer starts again (and gets this last stock at once)
                watched.remove(couponId, entry);
            }
        }
    }

    private String json(Stock stock) {
        try {
            return json.writeValueAsString(stock);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stock record always serialises", e);
        }
    }

    @PreDestroy
    void stop() {
        poller.dispose();
    }
}
