package dev.couponhub.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.couponhub.testsupport.Queues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** One queue's reading against the real SQS (ElasticMQ), and against a server that never answers. */
class QueueBacklogIT {

    private final MeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void queueGivenByUrlThenItAndItsDeadLetterQueueAreCountedUnderTheirNames() throws Exception {
        String name = "backlog-url-" + UUID.randomUUID().toString().substring(0, 8);
        try (SqsAsyncClient sqs = Queues.asyncClient(Queues.endpoint())) {
            sqs.createQueue(request -> request.queueName(name + "-dlq")).join();
            String url = sqs.createQueue(request -> request.queueName(name)).join().queueUrl();
            for (int i = 0; i < 4; i++) {
                sqs.sendMessage(request -> request.queueUrl(url + "-dlq").messageBody("dead")).join();
            }
            sqs.sendMessage(request -> request.queueUrl(url).messageBody("waiting")).join();

            QueueBacklog[] backlogs = QueueBacklog.withDeadLetterQueue(url, meters);
            for (QueueBacklog backlog : backlogs) {
                backlog.refresh(sqs, Duration.ofSeconds(3));
            }

            assertThat(backlogs[0].name()).isEqualTo(name);
            assertThat(backlogs[1].name()).isEqualTo(name + "-dlq");
            assertThat(gauge(name, "visible")).isEqualTo(1.0);
            assertThat(gauge(name, "in_flight")).isZero();
            assertThat(gauge(name + "-dlq", "visible")).isEqualTo(4.0);
            assertThat(gauge(name + "-dlq", "in_flight")).isZero();
        }
    }

    @Test
    void missingQueueThenNoValueAndTheNameIsLookedUpAgainOnceItExists() throws Exception {
        String name = "backlog-late-" + UUID.randomUUID().toString().substring(0, 8);
        try (SqsAsyncClient sqs = Queues.asyncClient(Queues.endpoint())) {
            QueueBacklog backlog = QueueBacklog.withDeadLetterQueue(name, meters)[0];
            backlog.refresh(sqs, Duration.ofSeconds(3));
            assertThat(backlog.visible()).isNaN();

            String url = sqs.createQueue(request -> request.queueName(name)).join().queueUrl();
            sqs.sendMessage(request -> request.queueUrl(url).messageBody("late")).join();
            backlog.refresh(sqs, Duration.ofSeconds(3));

            assertThat(backlog.visible()).isEqualTo(1.0);
            assertThat(backlog.inFlight()).isZero();
        }
    }

    /** The server accepts connections (the kernel completes the handshake) and never answers. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sqsNeverAnswersThenTheReadingGivesUpAtItsTimeoutAndShowsNoValue() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             SqsAsyncClient sqs = Queues.asyncClient("http://127.0.0.1:" + silent.getLocalPort())) {
            QueueBacklog backlog = QueueBacklog.withDeadLetterQueue("silent-queue", meters)[0];

            backlog.refresh(sqs, Duration.ofMillis(500));
            backlog.refresh(sqs, Duration.ofMillis(500));

            assertThat(backlog.visible()).isNaN();
            assertThat(backlog.inFlight()).isNaN();
            assertThat(gauge("silent-queue", "visible")).isNaN();
        }
    }

    private double gauge(String queue, String state) {
        return meters.get(QueueBacklog.METER).tag("queue", queue).tag("state", state).gauge().value();
    }
}
