package dev.couponhub.notification.config;

import java.time.Duration;
import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of notification-service ({@code couponhub.notification.*}).
 *
 * @param eventsQueue     SQS queue of coupon events (name or URL)
 * @param listenerEnabled whether this instance consumes the queue
 * @param fanOutPageSize  subscribers handled per transaction (and per Redis message) when a coupon is published
 * @param fanOutWriters   pages of one fan-out written at once (each on its own connection), 1..16
 * @param zone            zone in which times appear in alert texts
 * @param jdbcThreads     threads of the bounded scheduler that runs every blocking call of the web layer
 * @param sse             the live stream
 * @param mail            the e-mail sender
 * @param broadcast       Redis pub/sub between instances
 * @param stock           the live stock streams
 * @param warmUp          the alert path run once at start, before the first fan-out needs it
 */
@ConfigurationProperties("couponhub.notification")
public record NotificationProperties(
        @DefaultValue("coupon-events-notification") String eventsQueue,
        @DefaultValue("true") boolean listenerEnabled,
        @DefaultValue("1000") int fanOutPageSize,
        @DefaultValue("4") int fanOutWriters,
        @DefaultValue("Asia/Seoul") ZoneId zone,
        @DefaultValue("32") int jdbcThreads,
        @DefaultValue Sse sse,
        @DefaultValue Mail mail,
        @DefaultValue Broadcast broadcast,
        @DefaultValue StockStream stock,
        @DefaultValue WarmUp warmUp) {

    public NotificationProperties {
        if (fanOutPageSize < 1 || fanOutPageSize > 5000) {
            throw new IllegalArgumentException("couponhub.notification.fan-out-page-size must be 1..5000");
        }
        if (fanOutWriters < 1 || fanOutWriters > 16) {
            throw new IllegalArgumentException("couponhub.notification.fan-out-writers must be 1..16");
        }
    }

    /**
     * The alert path's warm-up, once the service is ready: right after a start its code runs interpreted, and the JIT
     * compiler takes most of the CPU while the first fan-outs run (docs/benchmarks.md). The service then opens
     * {@code streams} alert streams of synthetic users to itself and hands each {@code eventsPerStream} notifications
     * as the Redis broadcasts do (StreamWarmUp), and writes {@code pages} fan-out pages of synthetic recipients in
     * transactions it rolls back (FanOutWarmUp). Nothing is kept, sent or mailed.
     *
     * @param enabled         whether the service warms up after a start
     * @param streams         streams opened (1..1000)
     * @param eventsPerStream notifications each stream gets (1..10000)
     * @param pages           fan-out pages written and rolled back (0..100), each of {@code fanOutPageSize} recipients
     */
    public record WarmUp(@DefaultValue("true") boolean enabled, @DefaultValue("200") int streams,
                         @DefaultValue("150") int eventsPerStream, @DefaultValue("20") int pages) {

        public WarmUp {
            if (streams < 1 || streams > 1000) {
                throw new IllegalArgumentException("couponhub.notification.warm-up.streams must be 1..1000");
            }
            if (eventsPerStream < 1 || eventsPerStream > 10000) {
                throw new IllegalArgumentException(
                        "couponhub.notification.warm-up.events-per-stream must be 1..10000");
            }
            if (pages < 0 || pages > 100) {
                throw new IllegalArgumentException("couponhub.notification.warm-up.pages must be 0..100");
            }
        }
    }

    /**
     * @param interval how often the stock of the coupons watched on an instance is read from coupon-service (all of
     *                 them in one call); a viewer gets at most one event per interval. API.md: at most about 4 a
     *                 second; 1 s by default, since every event goes to every viewer (benchmarks.md, run 94)
     */
    public record StockStream(@DefaultValue("1s") Duration interval) {

        public StockStream {
            if (interval.compareTo(Duration.ofMillis(250)) < 0) {
                throw new IllegalArgumentException(
                        "couponhub.notification.stock.interval must be at least 250ms (API.md: at most 4 events a second)");
            }
        }
    }

    /**
     * @param heartbeat   interval of the keep-alive comment (at most 30 s)
     * @param replayLimit most notifications replayed after {@code Last-Event-ID}
     * @param bufferSize  events buffered per connection for a slow client (2..1024; one place is kept for the last
     *                    {@code closed} event); newer notifications are dropped beyond it (the client then catches up
     *                    with {@code Last-Event-ID})
     * @param maxPerUser  open streams one user may hold, over every instance; opening one more closes the oldest
     *                    (its last event: {@code closed}, reason {@code TOO_MANY_STREAMS})
     * @param maxLifetime a stream ends after this long; the client reconnects with {@code Last-Event-ID} and loses
     *                    nothing
     */
    public record Sse(@DefaultValue("15s") Duration heartbeat, @DefaultValue("100") int replayLimit,
                      @DefaultValue("64") int bufferSize, @DefaultValue("5") int maxPerUser,
                      @DefaultValue("1h") Duration maxLifetime) {

        public Sse {
            if (heartbeat.isZero() || heartbeat.isNegative() || heartbeat.compareTo(Duration.ofSeconds(30)) > 0) {
                throw new IllegalArgumentException("couponhub.notification.sse.heartbeat must be in (0, 30s]");
            }
            if (bufferSize < 2 || bufferSize > 1024) {
                throw new IllegalArgumentException("couponhub.notification.sse.buffer-size must be 2..1024");
            }
            if (maxPerUser < 1) {
                throw new IllegalArgumentException("couponhub.notification.sse.max-per-user must be at least 1");
            }
            if (maxLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("couponhub.notification.sse.max-lifetime must be at least 1s");
            }
        }
    }

    /**
     * @param enabled        whether this instance runs the sender loop
     * @param from           sender address
     * @param interval       pause between two runs of the sender when there was nothing to send
     * @param batchSize      recipients claimed per run (one user-service look-up per batch)
     * @param lease          how long a claimed recipient stays reserved for this instance while it sends
     * @param initialBackoff wait after the first failure; doubled after each further one
     * @param maxBackoff     longest wait between two tries
     * @param gatherWindow   at most one alert mail per recipient within this window: a recipient who was not mailed
     *                       within it gets the next alert at once, and the alerts that arrive while it is open are
     *                       gathered into one mail sent when it closes. So a shopper who claims ten coupons in a
     *                       minute gets two mails, not ten, and each alert is still mailed within
     *                       {@code gatherWindow + interval}; docs/api.md allows gathering within 5 minutes, so
     *                       {@code gatherWindow + interval} may not exceed that. {@code 0} mails every batch at once
     * @param maxAlertsPerMail the most alerts one mail carries; a recipient with more waiting gets further mails at
     *                       once
     */
    public record Mail(@DefaultValue("true") boolean enabled,
                       @DefaultValue("Couponhub <no-reply@couponhub.local>") String from,
                       @DefaultValue("500ms") Duration interval, @DefaultValue("100") int batchSize,
                       @DefaultValue("2m") Duration lease, @DefaultValue("5s") Duration initialBackoff,
                       @DefaultValue("30m") Duration maxBackoff, @DefaultValue("60s") Duration gatherWindow,
                       @DefaultValue("100") int maxAlertsPerMail) {

        /** docs/api.md: several alerts of one recipient may be gathered into one mail sent within 5 minutes. */
        static final Duration MOST_GATHERING = Duration.ofMinutes(5);

        public Mail {
            if (gatherWindow.isNegative() || gatherWindow.plus(interval).compareTo(MOST_GATHERING) > 0) {
                throw new IllegalArgumentException("couponhub.notification.mail.gather-window must be at least 0 and, "
                        + "with mail.interval, at most " + MOST_GATHERING.toMinutes() + " minutes");
            }
            if (maxAlertsPerMail < 1) {
                throw new IllegalArgumentException(
                        "couponhub.notification.mail.max-alerts-per-mail must be at least 1");
            }
        }
    }

    /**
     * @param channel       Redis channel carrying new notifications to every instance
     * @param closesChannel Redis channel carrying the streams to close (a user opened too many) to every instance
     */
    public record Broadcast(@DefaultValue("couponhub:notifications") String channel,
                            @DefaultValue("couponhub:stream-closes") String closesChannel) {
    }
}
