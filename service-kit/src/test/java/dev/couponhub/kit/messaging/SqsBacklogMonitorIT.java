package dev.couponhub.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import dev.couponhub.testsupport.Queues;
import dev.couponhub.testsupport.TcpProxy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The backlog gauge as a service gets it (the auto-configuration, its SQS client and meter registry), reading the real
 * SQS (ElasticMQ) through a proxy that a test switches off: SQS down.
 */
class SqsBacklogMonitorIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String queue = "backlog-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final String dlq = queue + "-dlq";
    private final TcpProxy sqsProxy = new TcpProxy(Queues.port());
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private SqsAsyncClient direct;
    private ApplicationContextRunner service;

    @BeforeEach
    void queues() {
        direct = Queues.asyncClient(Queues.endpoint());
        direct.createQueue(request -> request.queueName(dlq)).join();
        direct.createQueue(request -> request.queueName(queue)).join();
        service = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MessagingAutoConfiguration.class))
                .withBean(SqsAsyncClient.class, () -> Queues.asyncClient("http://127.0.0.1:" + sqsProxy.port()))
                .withBean(MeterRegistry.class, () -> meters)
                .withPropertyValues("couponhub.sqs.backlog.interval=200ms", "couponhub.sqs.backlog.timeout=1s",
                        "couponhub.sqs.backlog.queues=" + queue);
    }

    @AfterEach
    void close() {
        sqsProxy.close();
        direct.close();
    }

    @Test
    void messagesWaitingInFlightAndDeadLetteredThenTheGaugeShowsEachQueue() throws Exception {
        sqsProxy.start();
        String url = direct.getQueueUrl(request -> request.queueName(queue)).join().queueUrl();
        for (int i = 0; i < 7; i++) {
            direct.sendMessage(request -> request.queueUrl(url).messageBody("waiting")).join();
        }
        for (int i = 0; i < 3; i++) {
            direct.sendMessage(request -> request.queueUrl(url + "-dlq").messageBody("dead")).join();
        }
        int received = 0;
        while (received < 2) { // received and not deleted: in flight for the next five minutes
            int wanted = 2 - received;
            received += direct.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(wanted)
                    .visibilityTimeout(300).waitTimeSeconds(1)).join().messages().size();
        }

        service.run(context -> await().atMost(WAIT).untilAsserted(() -> {
            assertThat(gauge(queue, "visible")).isEqualTo(5.0);
            assertThat(gauge(queue, "in_flight")).isEqualTo(2.0);
            assertThat(gauge(dlq, "visible")).isEqualTo(3.0);
            assertThat(gauge(dlq, "in_flight")).isZero();
        }));
    }

    @Test
    void sqsUnreachableAtStartThenNoValueUntilItIsReachable() {
        service.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(gauge(queue, "visible")).isNaN();
            await().atMost(WAIT).until(() -> context.getBean(SqsBacklogMonitor.class).isRunning());

            sqsProxy.start();

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(gauge(queue, "visible")).isZero();
                assertThat(gauge(dlq, "visible")).isZero();
            });
        });
    }

    @Test
    void sqsGoesDownThenNoValueUntilItIsBack() throws Exception {
        sqsProxy.start();
        service.run(context -> {
            await().atMost(WAIT).untilAsserted(() -> assertThat(gauge(queue, "visible")).isZero());

            sqsProxy.stop();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(gauge(queue, "visible")).isNaN();
                assertThat(gauge(queue, "in_flight")).isNaN();
                assertThat(gauge(dlq, "visible")).isNaN();
            });

            sqsProxy.start();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(gauge(queue, "visible")).isZero();
                assertThat(gauge(dlq, "visible")).isZero();
            });
        });
    }

    @Test
    void serviceStoppingThenTheReadingsStop() throws Exception {
        sqsProxy.start();
        SqsBacklogMonitor[] monitor = new SqsBacklogMonitor[1];
        service.run(context -> {
            monitor[0] = context.getBean(SqsBacklogMonitor.class);
            await().atMost(WAIT).untilAsserted(() -> assertThat(gauge(queue, "visible")).isZero());
        });

        assertThat(monitor[0].isRunning()).isFalse();
        await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("sqs-backlog")));
    }

    private double gauge(String queueName, String state) {
        return meters.get(QueueBacklog.METER).tag("queue", queueName).tag("state", state).gauge().value();
    }
}
