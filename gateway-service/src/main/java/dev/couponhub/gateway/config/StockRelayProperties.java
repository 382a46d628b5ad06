package dev.couponhub.gateway.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The live stock streams ({@code GET /api/v1/coupons/{id}/stock/stream}), which the gateway relays: one stream from
 * notification-service per watched coupon and gateway instance, shared by all of its viewers here.
 *
 * @param firstEventWithin how long a viewer waits for the coupon's first stock before 503
 *                         {@code DEPENDENCY_UNAVAILABLE}
 * @param reconnectDelay   pause before the relay opens the coupon's stream again when notification-service ended it
 *                         without a last stock (its stream's lifetime, a restart); doubled after each failed try, at
 *                         most 10 s apart
 * @param heartbeat        interval of the keep-alive comment on every viewer's stream (at most 30 s)
 * @param maxLifetime      a viewer's stream ends after this long; the client reconnects and gets the stock at once
 * @param spread           how long a new stock takes to reach all of a coupon's viewers on this instance: they are
 *                         written in groups spread over this time, so that a change watched by thousands does not take
 *                         the event loops from the requests all at once (0: all at once; at most 250 ms, API.md's
 *                         shortest time between two stock events)
 */
@ConfigurationProperties("couponhub.gateway.stock")
public record StockRelayProperties(
        @DefaultValue("5s") Duration firstEventWithin,
        @DefaultValue("1s") Duration reconnectDelay,
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("1h") Duration maxLifetime,
        @DefaultValue("200ms") Duration spread) {

    public StockRelayProperties {
        if (heartbeat.isZero() || heartbeat.isNegative() || heartbeat.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("couponhub.gateway.stock.heartbeat must be in (0, 30s]");
        }
        if (firstEventWithin.isZero() || firstEventWithin.isNegative() || reconnectDelay.isNegative()
                || maxLifetime.compareTo(Duration.ofSeconds(1)) < 0
                || spread.isNegative() || spread.compareTo(Duration.ofMillis(250)) > 0) {
            throw new IllegalArgumentException("couponhub.gateway.stock: first-event-within must be positive, "
                    + "reconnect-delay at least 0, max-lifetime at least 1s, spread in [0, 250ms]");
        }
    }
}
