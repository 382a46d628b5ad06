package dev.couponhub.loadtests;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * SSE fan-out benchmark of notification-service (not a test, not a Gatling simulation: a plain main).
 *
 * <p>Subscribes {@code subscribers} users to one store (inserted straight into {@code notification_db}: creating
 * thousands of subscriptions through the API is slow and is not what is measured), opens one SSE connection per user
 * directly to the service ({@code X-User-Id} headers, no gateway), publishes one {@code COUPON_PUBLISHED} event to the
 * SQS queue, and measures, per subscriber, the time from the send until its stream delivered the event, in
 * {@code rounds} publishes one after another (the first meets a service whose fan-out code has not run yet). With
 * several instances ({@code baseUrl} a comma-separated list) the streams are spread over them in turn: one instance
 * consumes the event and the others get the alerts over Redis. It also reads each service's heap (Prometheus, after a
 * full collection when {@code -Dpid} names the processes) and resident memory before and after opening the
 * connections. Before the measured streams open, the client warms up against an SSE server of its own
 * ({@link LocalSseServer}). See README.md for the command.
 */
public final class SseFanOutBenchmark {

    private static final String COUPON_ID = "\"couponId\":";

    private SseFanOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> baseUrls = List.of(System.getProperty("baseUrl", "http://127.0.0.1:8084").split(","));
        int subscribers = Integer.getInteger("subscribers", 10_000);
        int connectConcurrency = Integer.getInteger("connectConcurrency", 200);
        String sqsEndpoint = System.getProperty("sqsEndpoint", "http://127.0.0.1:9324");
        String queue = System.getProperty("queue", "coupon-events-notification");
        String jdbcUrl = System.getProperty("jdbcUrl",
                "jdbc:mysql://127.0.0.1:3306/notification_db?rewriteBatchedStatements=true");
        Path credentialsFile = Path.of(System.getProperty("credentialsFile", ".devstack/data/credentials.properties"));
        List<Long> pids = System.getProperty("pid", "").isBlank() ? List.of()
                : Arrays.stream(System.getProperty("pid").split(",")).map(Long::valueOf).toList();
        int timeoutSeconds = Integer.getInteger("timeoutSeconds", 120);
        long runId = System.currentTimeMillis() % 1_000_000L;
        long storeId = Long.getLong("storeId", 7_000_000_000L + runId);
        long firstUserId = 8_000_000_000_000L + runId * 100_000L; // no such accounts: their mails are skipped
        long couponId = 9_000_000_000L + runId;

        say("SSE fan-out: %,d subscribers of store %d via %s, event on queue %s", subscribers, storeId, String.join(" and ", baseUrls), queue);
        String password = DevstackCredentials.password(credentialsFile, "notification_svc");
        insertSubscriptions(jdbcUrl, password, storeId, firstUserId, subscribers);

        List<Memory> before = memory(baseUrls, pids);
        String protocol = System.getProperty("protocol", "http1.1");
        int streamsPerConnection = Integer.getInteger("streamsPerConnection", 100);
        // the JDK client only for HTTP/1.1 streams: over h2c its selector thread would idle beside the measured run
        HttpClient http = protocol.equals("http1.1") ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build() : null;
        List<H2cStreams> h2c = new ArrayList<>();
        if (protocol.equals("h2c")) {
            baseUrls.forEach(url -> h2c.add(new H2cStreams(streamsPerConnection)));
        } else if (!protocol.equals("http1.1")) {
            throw new IllegalArgumentException("protocol must be http1.1 or h2c, not " + protocol);
        }
        int warmUpStreams = Integer.getInteger("clientWarmUpStreams", 1_000);
        if (warmUpStreams > 0) {
            say(clientWarmUp(protocol, streamsPerConnection, http, warmUpStreams,
                    Integer.getInteger("clientWarmUpEvents", 30), connectConcurrency));
        }
        int rounds = Integer.getInteger("rounds", 3);
        long[][] receivedAt = new long[rounds][subscribers];
        CountDownLatch[] allReceived = new CountDownLatch[rounds];
        for (int round = 0; round < rounds; round++) {
            allReceived[round] = new CountDownLatch(subscribers);
        }
        Opened opened = openStreams(subscribers,
                i -> URI.create(baseUrls.get(i % baseUrls.size()) + "/api/v1/notifications/stream"),
                i -> Map.of("Accept", "text/event-stream", "X-User-Id", Long.toString(firstUserId + i),
                        "X-User-Role", "SHOPPER"),
                i -> new StreamReader(couponId, rounds, round -> {
                    receivedAt[round][i] = System.nanoTime();
                    allReceived[round].countDown();
                }), http, h2c, connectConcurrency);
        say("opened %,d streams in %.1f s (%d failed) over %s", opened.connected(), opened.seconds(), opened.failed(),
                h2c.isEmpty() ? "HTTP/1.1, one connection each"
                        : "h2c, " + h2c.stream().mapToInt(H2cStreams::connections).sum() + " connections");
        List<CompletableFuture<?>> streams = opened.streams();
        AtomicInteger failed = opened.failedCount();
        Thread.sleep(5_000); // let the service settle before reading its memory
        List<Memory> after = memory(baseUrls, pids);

        // one publish per round, each once the last one reached every stream: the first meets a service that has
        // not run a fan-out yet (its code still interpreted), the later ones a warm one
        boolean complete = true;
        ProcessCpu cpu = ProcessCpu.discover(Path.of(System.getProperty("runDir", ".devstack/run")));
        HttpClient sqs = HttpClient.newHttpClient();
        for (int n = 0; n < 20; n++) { // the JDK client's first requests are slow: not in round 1's time
            callSqs(sqs, sqsEndpoint, queue, "Action=GetQueueAttributes&AttributeName.1=ApproximateNumberOfMessages");
        }
        for (int round = 0; round < rounds && complete; round++) {
            String event = publishedEvent(couponId + round, storeId);
            ProcessCpu.Snapshot cpuAtSend = cpu.snapshot();
            List<Map<String, Double>> threadsAtSend = pids.stream().map(ProcessCpu::threads).toList();
            long sent = System.nanoTime();
            callSqs(sqs, sqsEndpoint, queue, "Action=SendMessage&MessageBody=" + enc(event));
            long answered = System.nanoTime();
            complete = allReceived[round].await(timeoutSeconds, TimeUnit.SECONDS);
            ProcessCpu.Snapshot cpuAtEnd = cpu.snapshot();
            List<Map<String, Double>> threadsAtEnd = pids.stream().map(ProcessCpu::threads).toList();
            long[] latencies = Arrays.stream(receivedAt[round]).filter(at -> at != 0).map(at -> at - sent).sorted()
                    .toArray();
            say("");
            say("round %d of %d: received %,d of %,d subscribers%s", round + 1, rounds, latencies.length, subscribers,
                    complete ? "" : " (timed out after " + timeoutSeconds + " s)");
            if (latencies.length > 0) {
                say("send -> event on the stream: first %s, p50 %s, p99 %s, max %s (the send answered in %s)",
                        ms(latencies[0]),
                        ms(percentile(latencies, 50)), ms(percentile(latencies, 99)),
                        ms(latencies[latencies.length - 1]), ms(answered - sent));
                say("by block of %,d subscribers in subscription order (the fan-out's pages by default), first-last "
                        + "ms: %s", BLOCK, blocks(receivedAt[round], sent));
            }
            say("cpu from the send to the last event: %s", ProcessCpu.line(cpuAtSend, cpuAtEnd));
            for (int n = 0; n < pids.size(); n++) {
                say("threads of %s (pid %d) meanwhile: %s", baseUrls.get(n), pids.get(n), ProcessCpu.shares(
                        threadsAtSend.get(n), threadsAtEnd.get(n), (cpuAtEnd.nanos() - cpuAtSend.nanos()) / 1e9));
            }
            Thread.sleep(2_000); // the mail sender's work of the round, out of the next one's way
        }
        say("");
        for (int n = 0; n < baseUrls.size(); n++) {
            Memory was = before.get(n);
            Memory is = after.get(n);
            long open = Math.max(1, is.openStreams() - was.openStreams());
            say("instance %s: %,d open streams; heap used %s -> %s, %s per stream%s", baseUrls.get(n), is.openStreams(),
                    mb(was.heap()), mb(is.heap()), kb((is.heap() - was.heap()) / open),
                    pids.isEmpty() ? " (heap sampled without a full collection: give -Dpid)" : " (after full collections)");
            if (!pids.isEmpty()) {
                say("instance %s: resident memory %s -> %s, %s per stream", baseUrls.get(n), mb(was.rss()),
                        mb(is.rss()), kb((is.rss() - was.rss()) / open));
            }
        }

        // before the streams are cancelled, which completes them
        boolean passed = complete && failed.get() == 0;
        if (failed.get() > 0) {
            say("%,d streams failed or ended before the end of the run", failed.get());
        }
        Thread.sleep(Long.getLong("holdSeconds", 0L) * 1000); // time to inspect the service with the streams open
        streams.forEach(stream -> stream.cancel(true));
        h2c.forEach(H2cStreams::close);
        deleteSubscriptions(jdbcUrl, password, storeId);
        System.exit(passed ? 0 : 1);
    }

    /** Streams being read: each one's status, and how many connected and failed while they opened (or later). */
    private record Opened(List<CompletableFuture<?>> streams, int connected, AtomicInteger failedCount,
                          double seconds) {

        int failed() {
            return failedCount.get();
        }
    }

    /**
     * Opens {@code count} streams, at most {@code concurrency} at a time, the i-th to {@code uriOf(i)} with
     * {@code headersOf(i)} and read by {@code readerOf(i)}, over h2c when {@code h2c} has clients (the i-th on
     * {@code h2c[i % size]}) or else HTTP/1.1 ({@code http}); answers once each has connected or failed.
     */
    private static Opened openStreams(int count, IntFunction<URI> uriOf, IntFunction<Map<String, String>> headersOf,
                                      IntFunction<StreamReader> readerOf, HttpClient http, List<H2cStreams> h2c,
                                      int concurrency) throws Exception {
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Semaphore connecting = new Semaphore(concurrency);
        List<CompletableFuture<?>> streams = new ArrayList<>(count);
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            connecting.acquire();
            StreamReader reader = readerOf.apply(i);
            reader.connected.thenRun(() -> {
                connected.incrementAndGet();
                connecting.release();
            });
            CompletableFuture<Integer> status;
            if (h2c.isEmpty()) {
                HttpRequest.Builder request = HttpRequest.newBuilder(uriOf.apply(i)).GET();
                headersOf.apply(i).forEach(request::header);
                status = http.sendAsync(request.build(), HttpResponse.BodyHandlers.fromLineSubscriber(reader))
                        .thenApply(HttpResponse::statusCode);
            } else {
                status = h2c.get(i % h2c.size()).open(uriOf.apply(i), headersOf.apply(i), reader::onNext);
            }
            streams.add(status.whenComplete((code, error) -> {
                if (error != null || code != 200) {
                    failed.incrementAndGet();
                    if (!reader.connected.isDone()) {
                        connecting.release();
                    }
                }
            }));
        }
        while (connected.get() + failed.get() < count) {
            Thread.sleep(50);
        }
        return new Opened(streams, connected.get(), failed, (System.nanoTime() - started) / 1e9);
    }

    /** Coupon ids of the client's warm-up events: none of a measured round. */
    private static final long WARM_UP_COUPON_ID = 1L;

    /**
     * The client's warm-up: {@code events} events on each of {@code streams} streams from an in-process server
     * ({@link LocalSseServer}), read by the same client and the same reader as the measured streams, so that the
     * client's code is compiled before the service's first fan-out, not during it on the same cores. Answers its line.
     */
    private static String clientWarmUp(String protocol, int streamsPerConnection, HttpClient http, int streams,
                                       int events, int concurrency) throws Exception {
        long started = System.nanoTime();
        List<H2cStreams> h2c = protocol.equals("h2c") ? List.of(new H2cStreams(streamsPerConnection)) : List.of();
        try (LocalSseServer server = LocalSseServer.start(protocol, streamsPerConnection)) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/notifications/stream");
            CountDownLatch received = new CountDownLatch(streams * events);
            Opened opened = openStreams(streams, i -> uri, i -> Map.of("Accept", "text/event-stream"),
                    i -> new StreamReader(WARM_UP_COUPON_ID, events, round -> received.countDown()), http, h2c,
                    concurrency);
            List<String> sent = new ArrayList<>(events);
            for (int n = 0; n < events; n++) {
                sent.add("id:" + (n + 1) + "\nevent:COUPON_PUBLISHED\ndata:{\"id\":" + (n + 1)
                        + ",\"type\":\"COUPON_PUBLISHED\",\"title\":\"벤치마크 매장에 새 쿠폰\",\"body\":\"벤치마크 쿠폰: "
                        + "1,000원 할인\",\"data\":{\"couponId\":" + (WARM_UP_COUPON_ID + n)
                        + ",\"storeId\":1},\"read\":false,\"createdAt\":\"" + Instant.now() + "\"}\n\n");
            }
            server.send(sent);
            boolean all = received.await(60, TimeUnit.SECONDS);
            opened.streams().forEach(stream -> stream.cancel(true));
            return String.format("client warm-up: %,d of %,d events read on %,d streams (%d failed) from an in-process "
                            + "%s server in %.1f s", streams * events - received.getCount(), streams * events,
                    opened.connected(), opened.failed(), protocol, (System.nanoTime() - started) / 1e9)
                    + (all ? "" : " (timed out)");
        } finally {
            h2c.forEach(H2cStreams::close);
        }
    }

    /** Subscribers per block of the arrival timeline: the service's default fan-out page. */
    private static final int BLOCK = 1_000;

    /** When each block of subscribers (in the order they subscribed, which the fan-out follows) got the event. */
    private static String blocks(long[] receivedAt, long sent) {
        StringBuilder line = new StringBuilder();
        for (int from = 0; from < receivedAt.length; from += BLOCK) {
            long first = Long.MAX_VALUE;
            long last = 0;
            for (int i = from; i < Math.min(receivedAt.length, from + BLOCK); i++) {
                if (receivedAt[i] != 0) {
                    first = Math.min(first, receivedAt[i] - sent);
                    last = Math.max(last, receivedAt[i] - sent);
                }
            }
            line.append(line.isEmpty() ? "" : ", ").append(first == Long.MAX_VALUE ? "none"
                    : (first / 1_000_000) + "-" + (last / 1_000_000));
        }
        return line.toString();
    }

    /** Reads one stream line by line: the "connected" comment, then the benchmark's event of each round. */
    private static final class StreamReader implements Flow.Subscriber<String> {

        private final long firstCouponId;
        private final int rounds;
        private final boolean[] receivedRound;
        private final IntConsumer onEvent;
        /** Completed at the "connected" comment. */
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        private boolean inPublished;

        StreamReader(long firstCouponId, int rounds, IntConsumer onEvent) {
            this.firstCouponId = firstCouponId;
            this.rounds = rounds;
            this.receivedRound = new boolean[rounds];
            this.onEvent = onEvent;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (!connected.isDone() && line.startsWith(":connected")) {
                connected.complete(null);
            } else if (line.startsWith("event:")) {
                inPublished = line.substring(6).trim().equals("COUPON_PUBLISHED");
            } else if (inPublished && line.startsWith("data:")) {
                long couponId = couponId(line);
                if (couponId >= 0) {
                    long round = couponId - firstCouponId;
                    if (round >= 0 && round < rounds && !receivedRound[(int) round]) {
                        receivedRound[(int) round] = true;
                        onEvent.accept((int) round);
                    }
                }
            } else if (line.isEmpty()) {
                inPublished = false;
            }
        }

        /** The number after {@code "couponId":} in an event's data, or -1 (by hand: it runs 10,000 times a round). */
        private static long couponId(String data) {
            int at = data.indexOf(COUPON_ID);
            if (at < 0) {
                return -1;
            }
            long value = 0;
            int digits = 0;
            for (int i = at + COUPON_ID.length(); i < data.length() && Character.isDigit(data.charAt(i)); i++) {
                value = value * 10 + (data.charAt(i) - '0');
                digits++;
            }
            return digits == 0 ? -1 : value;
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }

    private record Memory(long heap, long rss, long openStreams) {
    }

    private static List<Memory> memory(List<String> baseUrls, List<Long> pids) throws Exception {
        List<Memory> memory = new ArrayList<>();
        for (int n = 0; n < baseUrls.size(); n++) {
            memory.add(memory(baseUrls.get(n), n < pids.size() ? pids.get(n) : 0));
        }
        return memory;
    }

    /** One instance's heap after a full collection (with its pid, through jcmd), resident memory and open streams. */
    private static Memory memory(String baseUrl, long pid) throws Exception {
        if (pid > 0) {
            new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        }
        HttpClient http = HttpClient.newHttpClient();
        String metrics = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long heap = 0;
        long streams = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("couponhub_sse_connections{")) {
                streams = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        long rss = 0;
        if (pid > 0) {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        return new Memory(heap, rss, streams);
    }


    private static void insertSubscriptions(String jdbcUrl, String password, long storeId, long firstUserId, int count)
            throws Exception {
        long started = System.nanoTime();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "notification_svc", password)) {
            db.setAutoCommit(false);
            try (PreparedStatement delete = db.prepareStatement("DELETE FROM subscriptions WHERE store_id = ?")) {
                delete.setLong(1, storeId);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO subscriptions (user_id, store_id, "
                    + "store_name, created_at) VALUES (?, ?, ?, UTC_TIMESTAMP(6))")) {
                for (int i = 0; i < count; i++) {
                    insert.setLong(1, firstUserId + i);
                    insert.setLong(2, storeId);
                    insert.setString(3, "벤치마크 매장");
                    insert.addBatch();
                    if (i % 1000 == 999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            db.commit();
            try (PreparedStatement check = db.prepareStatement("SELECT COUNT(*) FROM subscriptions WHERE store_id = ?")) {
                check.setLong(1, storeId);
                try (ResultSet rs = check.executeQuery()) {
                    rs.next();
                    say("setup: %,d subscriptions inserted in %.1f s", rs.getLong(1), (System.nanoTime() - started) / 1e9);
                }
            }
        }
    }

    private static void deleteSubscriptions(String jdbcUrl, String password, long storeId) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, "notification_svc", password);
             PreparedStatement delete = db.prepareStatement("DELETE FROM subscriptions WHERE store_id = ?")) {
            delete.setLong(1, storeId);
            delete.executeUpdate();
        }
    }

    private static String publishedEvent(long couponId, long storeId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"COUPON_PUBLISHED\",\"occurredAt\":\"" + now
                + "\",\"payload\":{\"couponId\":" + couponId + ",\"storeId\":" + storeId
                + ",\"storeName\":\"벤치마크 매장\",\"couponName\":\"벤치마크 쿠폰\",\"discountType\":\"FIXED\","
                + "\"discountValue\":1000,\"totalQuantity\":100,\"issueStartsAt\":\"" + now + "\",\"issueEndsAt\":\""
                + now.plus(Duration.ofDays(1)) + "\"}}";
    }

    /** One call of the SQS query protocol (ElasticMQ and SQS both accept it); the devstack ignores credentials. */
    private static void callSqs(HttpClient http, String endpoint, String queue, String action) throws Exception {
        String queueUrl = endpoint + "/000000000000/" + queue;
        String form = action + "&Version=2012-11-05&QueueUrl=" + enc(queueUrl);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(queueUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("SQS refused the call: " + response.statusCode() + " " + response.body());
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String ms(long nanos) {
        return String.format("%,d ms", TimeUnit.NANOSECONDS.toMillis(nanos));
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1024.0 / 1024.0);
    }

    private static String kb(long bytes) {
        return String.format("%.1f KB", bytes / 1024.0);
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
