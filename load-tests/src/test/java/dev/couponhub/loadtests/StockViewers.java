package dev.couponhub.loadtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code -Dviewers=N}: N browsers watching the measured coupon's live stock
 * ({@code GET /api/v1/coupons/{id}/stock/stream}) through the gateway during the run, opened before the warm-up. Each
 * carries a bench shopper's token (round robin), as a signed-in shopper's page does, so that opening thousands from
 * this one address is limited per shopper, not by the anonymous bucket of one address. Counts the stock events they
 * receive.
 */
final class StockViewers implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<CompletableFuture<?>> streams = new ArrayList<>();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    final LongAdder events = new LongAdder();

    static StockViewers open(BenchConfig config, long couponId, List<BenchSetup.Shopper> shoppers, int viewers)
            throws InterruptedException {
        StockViewers open = new StockViewers();
        Semaphore connecting = new Semaphore(200);
        long started = System.nanoTime();
        for (int i = 0; i < viewers; i++) {
            connecting.acquire();
            BenchSetup.Shopper shopper = shoppers.get(i % shoppers.size());
            HttpRequest request = HttpRequest.newBuilder(URI.create(config.baseUrl() + "/api/v1/coupons/" + couponId
                            + "/stock/stream"))
                    .header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + shopper.token())
                    .GET().build();
            Reader reader = new Reader(open, connecting);
            open.streams.add(open.http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(reader))
                    .whenComplete((response, error) -> {
                        if (error != null || response.statusCode() != 200) {
                            open.failed.incrementAndGet();
                            reader.release();
                        }
                    }));
        }
        while (open.connected.get() + open.failed.get() < viewers) {
            Thread.sleep(50);
        }
        System.out.printf("viewers: %,d live stock streams of coupon %d open in %.1f s (%d failed)%n",
                open.connected.get(), couponId, (System.nanoTime() - started) / 1e9, open.failed.get());
        return open;
    }

    int connected() {
        return connected.get();
    }

    int failed() {
        return failed.get();
    }

    @Override
    public void close() {
        streams.forEach(stream -> stream.cancel(true));
    }

    /** One viewer's lines: the first line means connected; each {@code event: stock} line is one event. */
    private static final class Reader implements Flow.Subscriber<String> {
        private final StockViewers viewers;
        private final Semaphore connecting;
        private boolean first = true;
        private boolean released;

        Reader(StockViewers viewers, Semaphore connecting) {
            this.viewers = viewers;
            this.connecting = connecting;
        }

        synchronized void release() {
            if (!released) {
                released = true;
                connecting.release();
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (first) {
                first = false;
                viewers.connected.incrementAndGet();
                release();
            }
            if (line.startsWith("event:") && line.contains("stock")) {
                viewers.events.increment();
            }
        }

        @Override
        public void onError(Throwable throwable) {
            release();
        }

        @Override
        public void onComplete() {
            release();
        }
    }
}
