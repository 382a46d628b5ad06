package dev.couponhub.store.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class OutboxPropertiesTests {

    @Test
    void bindWhenNothingSetThenDefaults() {
        OutboxProperties properties = bind(Map.of());

        assertThat(properties.queue()).isEqualTo("store-events-coupon");
        assertThat(properties.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(properties.relay().enabled()).isTrue();
        assertThat(properties.relay().interval()).isEqualTo(Duration.ofMillis(200));
        assertThat(properties.relay().batchSize()).isEqualTo(100);
    }

    @Test
    void bindThenValuesTaken() {
        OutboxProperties properties = bind(Map.of("couponhub.outbox.queue", "other-queue",
                "couponhub.outbox.relay.batch-size", "10", "couponhub.outbox.relay.max-backoff", "30s"));

        assertThat(properties.queue()).isEqualTo("other-queue");
        assertThat(properties.relay().batchSize()).isEqualTo(10);
        assertThat(properties.relay().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void constructWhenNonsenseThenRefused() {
        assertThatThrownBy(() -> new OutboxProperties(" ", Duration.ofDays(7), Duration.ofHours(1), relay(100)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutboxProperties("q", Duration.ZERO, Duration.ofHours(1), relay(100)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> relay(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutboxProperties.Relay(true, Duration.ofMillis(200), 10, Duration.ofSeconds(1),
                Duration.ofMinutes(2), Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static OutboxProperties.Relay relay(int batchSize) {
        return new OutboxProperties.Relay(true, Duration.ofMillis(200), batchSize, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    private static OutboxProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("couponhub.outbox", OutboxProperties.class);
    }
}
