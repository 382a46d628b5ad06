package dev.couponhub.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.springframework.messaging.support.MessageBuilder;

/** The retry schedule of failed SQS messages: doubling from the first delay, capped. */
class RetryBackoffTests {

    /** The queues' maxReceiveCount in devstack, compose and Terraform (delivery-checks keeps them equal). */
    private static final int MAX_RECEIVE_COUNT = 12;

    private final RetryBackoff defaults = new RetryBackoff(true, Duration.ofSeconds(2), Duration.ofMinutes(5));

    @Test
    void defaultsThenTwoSecondsDoublingUpToFiveMinutes() {
        assertThat(LongStream.rangeClosed(1, 12).map(defaults::delaySecondsAfter).toArray())
                .containsExactly(2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300, 300);
    }

    @Test
    void retriesBeforeTheDeadLetterQueueSpanAtLeastFifteenMinutes() {
        // the message is dead-lettered when its MAX_RECEIVE_COUNT-th receive fails: the delays before it count
        long span = LongStream.range(1, MAX_RECEIVE_COUNT).map(defaults::delaySecondsAfter).sum();
        assertThat(Duration.ofSeconds(span)).isGreaterThanOrEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void hugeOrMissingReceiveCountsThenCappedOrFirstDelay() {
        assertThat(defaults.delaySecondsAfter(Long.MAX_VALUE)).isEqualTo(300);
        assertThat(defaults.delaySecondsAfter(64)).isEqualTo(300);
        assertThat(defaults.delaySecondsAfter(0)).isEqualTo(2);
        assertThat(defaults.delaySecondsAfter(-5)).isEqualTo(2);
        RetryBackoff large = new RetryBackoff(true, Duration.ofHours(1), Duration.ofHours(12));
        assertThat(large.delaySecondsAfter(1_000)).isEqualTo(43_200);
        assertThat(new RetryBackoff(true, Duration.ZERO, Duration.ZERO).delaySecondsAfter(9)).isZero();
    }

    @Test
    void receiveCountReadFromTheSqsAttributeHeader() {
        assertThat(RetryBackoffErrorHandler.receiveCount(MessageBuilder.withPayload("x")
                .copyHeaders(Map.of("Sqs_Msa_ApproximateReceiveCount", "7")).build())).isEqualTo(7);
        assertThat(RetryBackoffErrorHandler.receiveCount(MessageBuilder.withPayload("x").build())).isEqualTo(1);
        assertThat(RetryBackoffErrorHandler.receiveCount(MessageBuilder.withPayload("x")
                .copyHeaders(Map.of("Sqs_Msa_ApproximateReceiveCount", "many")).build())).isEqualTo(1);
    }

    @Test
    void invalidSettingsThenRefused() {
        assertThatThrownBy(() -> new RetryBackoff(true, Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryBackoff(true, Duration.ofSeconds(1), Duration.ofHours(13)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
