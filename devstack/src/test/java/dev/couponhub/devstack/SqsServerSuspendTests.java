package dev.couponhub.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** A suspended ElasticMQ refuses connections; resumed on the same port, it still holds the messages sent before. */
class SqsServerSuspendTests {

    @Test
    void suspendedThenPortClosedAndResumedThenMessagesKept() throws Exception {
        int port = Ports.pickFree(1).get(0);
        SqsServer sqs = SqsServer.start(port);
        try (SqsClient client = SqsClient.builder()
                .endpointOverride(URI.create(sqs.endpoint()))
                .region(Region.of(SqsServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SqsServer.DUMMY_CREDENTIAL, SqsServer.DUMMY_CREDENTIAL)))
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(5)))
                .build()) {
            String url = client.getQueueUrl(r -> r.queueName(SqsServer.QUEUES.get(0))).queueUrl();
            client.sendMessage(r -> r.queueUrl(url).messageBody("kept across the outage"));

            assertThat(sqs.suspend()).isTrue();
            assertThat(sqs.suspend()).as("already suspended").isFalse();
            assertThatThrownBy(() -> new Socket(Ports.HOST, port).close()).isInstanceOf(IOException.class);

            assertThat(sqs.resume()).isTrue();
            List<Message> received = client.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(2)).messages();
            assertThat(received).extracting(Message::body).containsExactly("kept across the outage");
        } finally {
            sqs.stop();
        }
    }
}
