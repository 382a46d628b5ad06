package dev.couponhub.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class MailBackoffTests {

    @Test
    void backoffDoublesFromTheInitialWaitUpToTheMaximum() {
        Duration initial = Duration.ofSeconds(5);
        Duration max = Duration.ofMinutes(1);
        assertThat(MailRelay.backoff(1, initial, max)).isEqualTo(Duration.ofSeconds(5));
        assertThat(MailRelay.backoff(2, initial, max)).isEqualTo(Duration.ofSeconds(10));
        assertThat(MailRelay.backoff(4, initial, max)).isEqualTo(Duration.ofSeconds(40));
        assertThat(MailRelay.backoff(5, initial, max)).isEqualTo(max);
        assertThat(MailRelay.backoff(1000, initial, max)).isEqualTo(max);
    }
}
