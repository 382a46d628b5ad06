package dev.couponhub.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Which gauges a queue gets, before any reading. */
class QueueBacklogTests {

    private final MeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void queueNameThenItAndItsDeadLetterQueueUnderTheirNames() {
        QueueBacklog[] backlogs = QueueBacklog.withDeadLetterQueue(" coupon-events-stats ", meters);

        assertThat(backlogs).extracting(QueueBacklog::name).containsExactly("coupon-events-stats",
                "coupon-events-stats-dlq");
    }

    @Test
    void queueUrlThenNamedByItsLastSegmentAndItsDeadLetterQueueByTheSameUrlWithDlq() {
        QueueBacklog[] backlogs = QueueBacklog.withDeadLetterQueue(
                "https://sqs.us-east-1.amazonaws.com/123456789012/coupon-events-notification/", meters);

        assertThat(backlogs).extracting(QueueBacklog::name).containsExactly("coupon-events-notification",
                "coupon-events-notification-dlq");
    }

    @Test
    void beforeTheFirstReadingThenEveryGaugeShowsNoValue() {
        QueueBacklog.withDeadLetterQueue("q", meters);

        assertThat(meters.get(QueueBacklog.METER).gauges()).hasSize(4)
                .allSatisfy(gauge -> assertThat(gauge.value()).isNaN());
        assertThat(meters.get(QueueBacklog.METER).tags("queue", "q-dlq", "state", "in_flight").gauge()).isNotNull();
    }
}
