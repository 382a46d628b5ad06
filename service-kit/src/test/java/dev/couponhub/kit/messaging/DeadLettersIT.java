package dev.couponhub.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.couponhub.testsupport.Queues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Single events into the real SQS (ElasticMQ) dead-letter queue of their queue. */
class DeadLettersIT {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void sendThenTheEventAloneLandsInTheDeadLetterQueueWithItsReason() throws Exception {
        try (Queues queues = new Queues(); SqsAsyncClient sqs = Queues.asyncClient(Queues.endpoint())) {
            String queue = queues.createQueue("dead-letters");
            String deadLetterUrl = sqs.createQueue(request -> request.queueName(queue + "-dlq")).join().queueUrl();
            DeadLetters deadLetters = new DeadLetters(sqs, Duration.ofSeconds(5), meters);

            deadLetters.send(queue, "{\"eventId\":\"bad-1\",\"type\":\"COUPON_CLAIMED\"}", "payload lacks a userId");
            String queueUrl = sqs.getQueueUrl(request -> request.queueName(queue)).join().queueUrl();
            deadLetters.send(queueUrl, "{\"eventId\":\"bad-2\"}", "x".repeat(1000));

            List<Message> received = sqs.receiveMessage(request -> request.queueUrl(deadLetterUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(2).messageAttributeNames("All")).join().messages();
            assertThat(received).extracting(Message::body).containsExactlyInAnyOrder(
                    "{\"eventId\":\"bad-1\",\"type\":\"COUPON_CLAIMED\"}", "{\"eventId\":\"bad-2\"}");
            assertThat(received).extracting(message -> message.messageAttributes()
                            .get(DeadLetters.REASON_ATTRIBUTE).stringValue())
                    .containsExactlyInAnyOrder("payload lacks a userId", "x".repeat(DeadLetters.REASON_LENGTH));
            assertThat(meters.get("couponhub.sqs.dead.lettered").tag("queue", queue + "-dlq").counter().count())
                    .isEqualTo(2.0);
            assertThat(queues.drain(queue)).isEmpty();
        }
    }

    @Test
    void noDeadLetterQueueThenRefusedSoThatTheMessageIsRetried() {
        try (Queues queues = new Queues(); SqsAsyncClient sqs = Queues.asyncClient(Queues.endpoint())) {
            String queue = queues.createQueue("no-dead-letters");
            DeadLetters deadLetters = new DeadLetters(sqs, Duration.ofSeconds(5), meters);

            assertThatThrownBy(() -> deadLetters.send(queue, "{}", "bad")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(queue + "-dlq");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sqsNeverAnswersThenRefusedAtTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             SqsAsyncClient sqs = Queues.asyncClient("http://127.0.0.1:" + silent.getLocalPort())) {
            DeadLetters deadLetters = new DeadLetters(sqs, Duration.ofMillis(500), meters);

            assertThatThrownBy(() -> deadLetters.send("silent", "{}", "bad")).isInstanceOf(IllegalStateException.class);
        }
    }
}
