package dev.couponhub.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Shoppers claiming one coupon through the gateway from many threads, each claim with an {@code Idempotency-Key} of
 * its own, so that every answer can be matched with the issued rows in MySQL afterwards. Threads take the shoppers in
 * turn. After an answer that issued nothing for a reason that will last a moment (sold out, a 5xx, no connection) a
 * thread waits {@code pauseAfterRefusal} before its next claim, so that an outage is not a busy loop.
 */
final class Stampede implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One claim and its answer. {@code status} -1: no HTTP answer (connection refused or reset, or no answer within
     * 30 s). {@code code}: the problem's code; {@code issuedId} and {@code issuedCode} of a 201.
     */
    record Attempt(long userId, String key, long sentNanos, long answeredNanos, int status, String code,
                   long issuedId, String issuedCode) {

        Duration latency() {
            return Duration.ofNanos(answeredNanos - sentNanos);
        }

        String outcome() {
            return status == 201 ? "201" : status < 0 ? "no-answer" : status + (code == null ? "" : " " + code);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Shoppers.Shopper> shoppers;
    private final long couponId;
    private final Duration thinkTime;
    private final Duration pauseAfterRefusal;
    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong soldOut = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    Stampede(Shoppers shoppers, long couponId, int threadCount, Duration thinkTime, Duration pauseAfterRefusal) {
        this.shoppers = shoppers.shoppers;
        this.couponId = couponId;
        this.thinkTime = thinkTime;
        this.pauseAfterRefusal = pauseAfterRefusal;
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(this::claimUntilStopped, "claimer-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    Stampede start() {
        threads.forEach(Thread::start);
        return this;
    }

    private void claimUntilStopped() {
        while (!stopped) {
            Shoppers.Shopper shopper = shoppers.get(Math.floorMod(next.getAndIncrement(), shoppers.size()));
            Attempt attempt = claim(shopper);
            attempts.add(attempt);
            if (attempt.status() == 201) {
                issued.incrementAndGet();
            }
            else if ("SOLD_OUT".equals(attempt.code())) {
                soldOut.incrementAndGet();
            }
            try {
                boolean refused = attempt.status() != 201 && attempt.status() != 409 || "SOLD_OUT".equals(attempt.code());
                long sleep = (refused ? pauseAfterRefusal : thinkTime).toMillis();
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
            }
            catch (InterruptedException e) {
                return;
            }
        }
    }

    private Attempt claim(Shoppers.Shopper shopper) {
        String key = UUID.randomUUID().toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(FaultSuite.BASE_URL + "/api/v1/coupons/" + couponId
                        + "/claim"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + shopper.token())
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            JsonNode body = parse(response.body());
            if (response.statusCode() == 201) {
                return new Attempt(shopper.userId(), key, sent, answered, 201, null, body.path("id").asLong(),
                        body.path("code").asText());
            }
            return new Attempt(shopper.userId(), key, sent, answered, response.statusCode(),
                    body.path("code").asText(null), 0, null);
        }
        catch (IOException e) {
            return new Attempt(shopper.userId(), key, sent, System.nanoTime(), -1, e.getClass().getSimpleName(), 0,
                    null);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(shopper.userId(), key, sent, System.nanoTime(), -1, "interrupted", 0, null);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
        }
        catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** 201s answered so far. */
    long issued() {
        return issued.get();
    }

    /** SOLD_OUT answers so far. */
    long soldOut() {
        return soldOut.get();
    }

    /** Waits until the condition holds (true) or the time is over (false). */
    boolean awaitUntil(Predicate<Stampede> condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.test(this)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Stops claiming and waits for the claims under way to be answered. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.join(35_000);
        }
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Answers by outcome, e.g. {@code 201=1500, 409 SOLD_OUT=300, 503 DEPENDENCY_UNAVAILABLE=20}. */
    static String byOutcome(List<Attempt> attempts) {
        Map<String, Long> counts = attempts.stream()
                .collect(Collectors.groupingBy(Attempt::outcome, TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(", "));
    }
}
