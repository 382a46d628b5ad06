package dev.couponhub.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The kit's SQS backlog gauge {@code couponhub_sqs_messages{queue, state}} as a consumer publishes it on
 * {@code /actuator/prometheus}, through an SQS outage: what each consumer's service-level IT proves with its own
 * configuration (which queue, which other components). The mechanism's own tests are in service-kit.
 */
public final class SqsBacklogGauge {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern SERIES = Pattern.compile("^couponhub_sqs_messages\\{([^}]*)} (\\S+)$",
            Pattern.MULTILINE);

    private SqsBacklogGauge() {
    }

    /** Creates {@code queue} and its dead-letter queue {@code <queue>-dlq} in the devstack's SQS. */
    public static void createQueues(String queue) {
        try (SqsAsyncClient sqs = Queues.asyncClient(Queues.endpoint())) {
            sqs.createQueue(request -> request.queueName(queue + "-dlq")).join();
            sqs.createQueue(request -> request.queueName(queue)).join();
        }
    }

    /**
     * With {@code sqs} (the service's way to SQS) still off, as the service started: 3 messages wait in {@code queue}
     * and 1 in its dead-letter queue. Once SQS is reachable the gauge shows them; while it is down again the service
     * stays healthy and ready and the gauge shows no value (NaN); once it is back, the values come back.
     *
     * @throws AssertionError when the service does not behave so within 20 s at each step
     */
    public static void assertFollowsSqs(ApiClient api, TcpProxy sqs, String queue) throws IOException {
        String dlq = queue + "-dlq";
        try (Queues queues = new Queues()) {
            for (int i = 0; i < 3; i++) {
                queues.send(queue, "{\"n\":" + i + "}");
            }
            queues.send(dlq, "{\"dead\":true}");
        }
        sqs.start();
        awaitGauge(api, queue, "visible", value -> value == 3.0);
        awaitGauge(api, queue, "in_flight", value -> value == 0.0);
        awaitGauge(api, dlq, "visible", value -> value == 1.0);

        sqs.stop();
        try {
            awaitGauge(api, queue, "visible", value -> value.isNaN());
            awaitGauge(api, dlq, "visible", value -> value.isNaN());
            expect(api.get("/actuator/health"), response -> response.status() == 200
                    && "UP".equals(response.json().path("status").asText()), "health UP while SQS is down");
            expect(api.get("/actuator/health/readiness"), response -> response.status() == 200,
                    "ready while SQS is down");
        } finally {
            sqs.start();
        }
        awaitGauge(api, queue, "visible", value -> value == 3.0);
        awaitGauge(api, dlq, "visible", value -> value == 1.0);
    }

    /** The value of {@code couponhub_sqs_messages{queue, state}} in a Prometheus scrape, if it has that series. */
    public static Optional<Double> value(String scrape, String queue, String state) {
        Matcher matcher = SERIES.matcher(scrape);
        while (matcher.find()) {
            String labels = matcher.group(1);
            if (labels.contains("queue=\"" + queue + "\"") && labels.contains("state=\"" + state + "\"")) {
                return Optional.of(Double.parseDouble(matcher.group(2)));
            }
        }
        return Optional.empty();
    }

    private static void awaitGauge(ApiClient api, String queue, String state, Predicate<Double> expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Optional<Double> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            ApiClient.Response response = api.get("/actuator/prometheus");
            expect(response, scrape -> scrape.status() == 200, "a Prometheus scrape");
            last = value(response.body(), queue, state);
            if (last.filter(expected).isPresent()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("couponhub_sqs_messages{queue=" + queue + ", state=" + state + "} is " + last
                + " after " + WAIT.toSeconds() + " s");
    }

    private static void expect(ApiClient.Response response, Predicate<ApiClient.Response> condition, String what) {
        if (!condition.test(response)) {
            throw new AssertionError("expected " + what + ", got " + response);
        }
    }
}
