package dev.couponhub.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.couponhub.testsupport.Queues;
import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.sqs.SqsAutoConfiguration;
import io.awspring.cloud.sqs.annotation.SqsListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A listener whose handling fails again and again, on a real SQS (ElasticMQ) queue with the redrive policy of
 * Couponhub's queues: the kit's back-off keeps the message out of the dead-letter queue and delivers it once the
 * handling succeeds. Without it, the message would come back only after the queue's 30 s visibility time-out.
 */
class RetryBackoffIT {

    /** The queues' maxReceiveCount in devstack, compose and Terraform (delivery-checks keeps them equal). */
    private static final int MAX_RECEIVE_COUNT = 12;
    private static final int FAILURES = 7;

    static final ConcurrentLinkedQueue<Integer> receiveCounts = new ConcurrentLinkedQueue<>();
    static final AtomicInteger attempts = new AtomicInteger();
    static final CountDownLatch handled = new CountDownLatch(1);

    @Test
    void handlingFailsSeveralTimesThenTheMessageArrivesOnceAndIsNotDeadLettered() throws Exception {
        try (Queues queues = new Queues(); SqsAsyncClient sqs = Queues.asyncClient(Queues.endpoint())) {
            String queue = "retry-backoff-" + Long.toHexString(System.nanoTime());
            String dlqUrl = sqs.createQueue(request -> request.queueName(queue + "-dlq")).join().queueUrl();
            String dlqArn = sqs.getQueueAttributes(request -> request.queueUrl(dlqUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).join().attributes().get(QueueAttributeName.QUEUE_ARN);
            sqs.createQueue(request -> request.queueName(queue).attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, "30",
                    QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn
                            + "\",\"maxReceiveCount\":\"" + MAX_RECEIVE_COUNT + "\"}"))).join();
            queues.send(queue, "{\"eventId\":\"retried-1\"}");

            try (ConfigurableApplicationContext ignored = new SpringApplicationBuilder(Consumer.class)
                    .web(WebApplicationType.NONE)
                    .properties(Map.of(
                            "spring.cloud.aws.sqs.endpoint", Queues.endpoint(),
                            "spring.cloud.aws.region.static", "us-east-1",
                            "spring.cloud.aws.credentials.access-key", "local",
                            "spring.cloud.aws.credentials.secret-key", "local",
                            "retry-it.queue", queue,
                            // a short schedule, so that seven failures take seconds: 1, 2, 2, 2... s
                            "couponhub.sqs.retry.first-delay", "1s",
                            "couponhub.sqs.retry.max-delay", "2s"))
                    .run()) {
                assertThat(handled.await(60, TimeUnit.SECONDS)).as("handled after %d failures", FAILURES).isTrue();
            }

            assertThat(attempts.get()).isEqualTo(FAILURES + 1);
            assertThat(List.copyOf(receiveCounts)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
            assertThat(queues.drain(queue + "-dlq")).isEmpty();
            assertThat(queues.drain(queue)).isEmpty(); // acknowledged once handled
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({JacksonAutoConfiguration.class, AwsAutoConfiguration.class,
            CredentialsProviderAutoConfiguration.class, RegionProviderAutoConfiguration.class,
            SqsAutoConfiguration.class, MessagingAutoConfiguration.class})
    static class Consumer {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        FailingListener failingListener() {
            return new FailingListener();
        }
    }

    static class FailingListener {

        @SqsListener("${retry-it.queue}")
        void onMessage(String message,
                       @Header("Sqs_Msa_ApproximateReceiveCount") String receiveCount) {
            receiveCounts.add(Integer.parseInt(receiveCount));
            if (attempts.incrementAndGet() <= FAILURES) {
                throw new IllegalStateException("database down (attempt " + attempts.get() + ")");
            }
            handled.countDown();
        }
    }
}
