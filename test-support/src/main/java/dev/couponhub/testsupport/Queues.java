package dev.couponhub.testsupport;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.devstack.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Test access to the devstack's SQS (ElasticMQ): clients, fresh queues, and reading what arrived. */
public final class Queues implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;

    public Queues() {
        this.sqs = SqsClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .build();
    }

    public static String endpoint() {
        return TestDevstack.start(Component.SQS).sqsEndpoint();
    }

    public static int port() {
        return URI.create(endpoint()).getPort();
    }

    /** An async client like the application's, talking to {@code endpoint}. */
    public static SqsAsyncClient asyncClient(String endpoint) {
        return SqsAsyncClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(3)))
                .build();
    }

    /** A new empty queue; answers its name. */
    public String createQueue(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        sqs.createQueue(request -> request.queueName(name));
        return name;
    }

    /** The URL of a queue, as the deployments name queues (ECS task definitions give URLs, not names). */
    public String url(String queue) {
        return sqs.getQueueUrl(request -> request.queueName(queue)).queueUrl();
    }

    /**
     * Receives (and deletes) messages until {@code wanted} of them match, or the timeout passes; then answers the
     * matching ones as JSON. Messages that do not match are deleted too.
     */
    public List<JsonNode> receive(String queue, Predicate<JsonNode> matching, int wanted, Duration timeout) {
        return receive(queue, List::of, matching, wanted, timeout);
    }

    /**
     * Like {@link #receive}, for queues whose messages carry one event or several in a JSON array (an outbox relay
     * that packs events): answers matching events, not messages.
     */
    public List<JsonNode> receiveEvents(String queue, Predicate<JsonNode> matching, int wanted, Duration timeout) {
        return receive(queue, body -> body.isArray() ? body : List.of(body), matching, wanted, timeout);
    }

    private List<JsonNode> receive(String queue, Function<JsonNode, Iterable<JsonNode>> items,
                                   Predicate<JsonNode> matching, int wanted, Duration timeout) {
        String url = sqs.getQueueUrl(request -> request.queueName(queue)).queueUrl();
        List<JsonNode> found = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (found.size() < wanted && System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(request -> request.queueUrl(url)
                    .maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                for (JsonNode item : items.apply(parse(message.body()))) {
                    if (matching.test(item)) {
                        found.add(item);
                    }
                }
                sqs.deleteMessage(request -> request.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return found;
    }

    /** Every message now in the queue (received and deleted until a receive comes back empty). */
    public List<JsonNode> drain(String queue) {
        String url = sqs.getQueueUrl(request -> request.queueName(queue)).queueUrl();
        List<JsonNode> all = new ArrayList<>();
        while (true) {
            List<Message> messages = sqs.receiveMessage(request -> request.queueUrl(url)
                    .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            if (messages.isEmpty()) {
                return all;
            }
            for (Message message : messages) {
                all.add(parse(message.body()));
                sqs.deleteMessage(request -> request.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
    }

    /** Sends a message body to the queue. */
    public void send(String queue, String body) {
        String url = sqs.getQueueUrl(request -> request.queueName(queue)).queueUrl();
        sqs.sendMessage(request -> request.queueUrl(url).messageBody(body));
    }

    @Override
    public void close() {
        sqs.close();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }
}
