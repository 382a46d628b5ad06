package dev.couponhub.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class OutboxPropertiesTests {

    @Test
    void bindWhenOnlyAQueueThenOneDestinationAndDefaults() {
        OutboxProperties properties = bind(Map.of("couponhub.outbox.queue", "store-events-coupon"));

        assertThat(properties.fansOut()).isFalse();
        assertThat(properties.queue()).isEqualTo("store-events-coupon");
        assertThat(properties.destinations()).containsExactly("store-events-coupon");
        assertThat(properties.table()).isEqualTo("outbox_events");
        assertThat(properties.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(properties.purgeInterval()).isEqualTo(Duration.ofHours(1));
        OutboxProperties.Relay relay = properties.relay();
        assertThat(relay.enabled()).isTrue();
        assertThat(relay.interval()).isEqualTo(Duration.ofMillis(200));
        assertThat(relay.batchSize()).isEqualTo(100);
        assertThat(relay.sendTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(relay.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(relay.maxBackoff()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void bindWhenCommaSeparatedQueuesThenFansOutInThatOrder() {
        OutboxProperties properties = bind(Map.of("couponhub.outbox.queues",
                "coupon-events-notification,coupon-events-stats"));

        assertThat(properties.fansOut()).isTrue();
        assertThat(properties.destinations()).containsExactly("coupon-events-notification", "coupon-events-stats");
    }

    @Test
    void bindWhenIndexedQueuesThenFansOut() {
        OutboxProperties properties = bind(Map.of("couponhub.outbox.queues[0]", "https://sqs/1/a",
                "couponhub.outbox.queues[1]", "https://sqs/1/b"));

        assertThat(properties.destinations()).containsExactly("https://sqs/1/a", "https://sqs/1/b");
    }

    @Test
    void bindThenValuesTaken() {
        OutboxProperties properties = bind(Map.of("couponhub.outbox.queue", "other-queue",
                "couponhub.outbox.table", "events_outbox", "couponhub.outbox.retention", "2d",
                "couponhub.outbox.relay.enabled", "false", "couponhub.outbox.relay.batch-size", "10",
                "couponhub.outbox.relay.max-backoff", "30s"));

        assertThat(properties.table()).isEqualTo("events_outbox");
        assertThat(properties.retention()).isEqualTo(Duration.ofDays(2));
        assertThat(properties.relay().enabled()).isFalse();
        assertThat(properties.relay().batchSize()).isEqualTo(10);
        assertThat(properties.relay().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void bindWhenNoQueueThenRefused() {
        assertThatThrownBy(() -> bind(Map.of("couponhub.outbox.retention", "7d")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("couponhub.outbox.queue");
    }

    @Test
    void constructWhenBothOrBlankQueuesThenRefused() {
        assertThatThrownBy(() -> properties("outbox_events", "a", List.of("b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both");
        assertThatThrownBy(() -> properties("outbox_events", " ", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> properties("outbox_events", null, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> properties("outbox_events", null, List.of("a", "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> properties("outbox_events", null, List.of("a", "a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void constructWhenTableIsNotAPlainNameThenRefused() {
        assertThat(properties("coupon_db.outbox_events", "q", null).table()).isEqualTo("coupon_db.outbox_events");
        for (String table : new String[] {"", "outbox events", "outbox_events; DROP TABLE x", "`outbox`", "a.b.c",
                "1outbox"}) {
            assertThatThrownBy(() -> properties(table, "q", null)).as(table)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("couponhub.outbox.table");
        }
    }

    @Test
    void constructWhenNonsenseDurationsOrBatchThenRefused() {
        assertThatThrownBy(() -> new OutboxProperties("outbox_events", "q", null, Duration.ZERO, Duration.ofHours(1),
                relay(100))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutboxProperties("outbox_events", "q", null, Duration.ofDays(7),
                Duration.ofSeconds(-1), relay(100))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> relay(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> relay(1001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> relay(10, Duration.ofMinutes(2), Duration.ofMinutes(1), 1, 10, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> relay(10, Duration.ofSeconds(1), Duration.ofMinutes(1), 0, 10, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> relay(10, Duration.ofSeconds(1), Duration.ofMinutes(1), 1001, 10,
                Duration.ofSeconds(30))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructWhenMaxAttemptsBelowTwoOrLeaseNotLongerThanTheSendTimeoutThenRefused() {
        assertThatThrownBy(() -> relay(10, Duration.ofSeconds(1), Duration.ofMinutes(1), 1, 1, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-attempts");
        assertThatThrownBy(() -> relay(10, Duration.ofSeconds(1), Duration.ofMinutes(1), 1, 1001,
                Duration.ofSeconds(30))).isInstanceOf(IllegalArgumentException.class);
        // the send time-out of relay(...) is 1 s
        assertThatThrownBy(() -> relay(10, Duration.ofSeconds(1), Duration.ofMinutes(1), 1, 10, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
        assertThat(relay(10, Duration.ofSeconds(1), Duration.ofMinutes(1), 1, 2, Duration.ofMillis(1001)).maxAttempts())
                .isEqualTo(2);
        assertThatThrownBy(() -> new OutboxProperties.Relay(true, Duration.ofMillis(200), 10, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofMinutes(1), 1, 10, Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max-outage-backoff");
    }

    @Test
    void bindThenOutageAndParkingDefaultsAndValues() {
        OutboxProperties.Relay defaults = bind(Map.of("couponhub.outbox.queue", "q")).relay();

        assertThat(defaults.maxAttempts()).isEqualTo(10);
        assertThat(defaults.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.outageBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.maxOutageBackoff()).isEqualTo(Duration.ofSeconds(30));

        OutboxProperties.Relay set = bind(Map.of("couponhub.outbox.queue", "q",
                "couponhub.outbox.relay.max-attempts", "4", "couponhub.outbox.relay.lease", "2m",
                "couponhub.outbox.relay.outage-backoff", "500ms", "couponhub.outbox.relay.max-outage-backoff", "10s"))
                .relay();

        assertThat(set.maxAttempts()).isEqualTo(4);
        assertThat(set.lease()).isEqualTo(Duration.ofMinutes(2));
        assertThat(set.outageBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(set.maxOutageBackoff()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void destinationsCannotBeChangedAfterwards() {
        List<String> queues = new java.util.ArrayList<>(List.of("a", "b"));
        OutboxProperties properties = properties("outbox_events", null, queues);
        queues.add("c");

        assertThat(properties.destinations()).containsExactly("a", "b");
        assertThatThrownBy(() -> properties.destinations().add("d")).isInstanceOf(UnsupportedOperationException.class);
    }

    private static OutboxProperties properties(String table, String queue, List<String> queues) {
        return new OutboxProperties(table, queue, queues, Duration.ofDays(7), Duration.ofHours(1), relay(100));
    }

    private static OutboxProperties.Relay relay(int batchSize) {
        return relay(batchSize, Duration.ofSeconds(1), Duration.ofMinutes(1), 1, 10, Duration.ofSeconds(30));
    }

    private static OutboxProperties.Relay relay(int batchSize, Duration initialBackoff, Duration maxBackoff,
                                                int eventsPerMessage, int maxAttempts, Duration lease) {
        return new OutboxProperties.Relay(true, Duration.ofMillis(200), batchSize, Duration.ofSeconds(1),
                initialBackoff, maxBackoff, eventsPerMessage, maxAttempts, lease, Duration.ofSeconds(1),
                Duration.ofSeconds(30));
    }

    private static OutboxProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("couponhub.outbox", OutboxProperties.class);
    }
}
