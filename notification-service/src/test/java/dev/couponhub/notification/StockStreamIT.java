package dev.couponhub.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/**
 * {@code GET /api/v1/coupons/{id}/stock/stream} (API.md): anyone may watch a coupon's remaining stock: the stock at
 * once, then each change (at most about 4 a second), and a last event at {@code SOLD_OUT} or {@code ENDED}, after
 * which the stream ends. coupon-service is played by an in-process gRPC fake whose stock the tests change.
 */
class StockStreamIT extends NotificationItSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeCouponService coupons = FakeCouponService.instance();
    private final List<Disposable> open = new ArrayList<>();

    /** What a viewer got: the events (comments left out) and whether the stream ended. */
    private record Viewer(List<ServerSentEvent<String>> events, AtomicBoolean ended) {
        List<JsonNode> stock() {
            return events.stream().filter(e -> "stock".equals(e.event())).map(e -> {
                try {
                    return JSON.readTree(e.data());
                } catch (Exception x) {
                    throw new AssertionError(x);
                }
            }).toList();
        }

        JsonNode last() {
            List<JsonNode> stock = stock();
            return stock.isEmpty() ? null : stock.get(stock.size() - 1);
        }
    }

    @AfterEach
    void closeViewers() {
        open.forEach(Disposable::dispose);
        open.clear();
    }

    /** Anonymous, as a browser's EventSource: no caller headers. */
    private Viewer watch(long couponId) {
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        AtomicBoolean ended = new AtomicBoolean();
        open.add(WebClient.create("http://127.0.0.1:" + port).get()
                .uri("/api/v1/coupons/{id}/stock/stream", couponId)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .filter(event -> event.event() != null)
                .doFinally(signal -> ended.set(true))
                .subscribe(received::add, error -> { }));
        return new Viewer(received, ended);
    }

    @Test
    void anyoneWatchesThenStockAtOnceThenEachChangeThenSoldOutLastAndTheStreamEnds() {
        long couponId = coupons.addCoupon(100);
        Viewer viewer = watch(couponId);

        await().atMost(WAIT).until(() -> viewer.last() != null);
        JsonNode first = viewer.stock().get(0);
        assertThat(first.path("couponId").asLong()).isEqualTo(couponId);
        assertThat(first.path("remainingQuantity").asLong()).isEqualTo(100);
        assertThat(first.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(first.size()).as("exactly couponId, remainingQuantity, status: %s", first).isEqualTo(3);

        coupons.set(couponId, 60, "ACTIVE");
        await().atMost(WAIT).until(() -> viewer.last().path("remainingQuantity").asLong() == 60);
        coupons.set(couponId, 0, "SOLD_OUT");
        await().atMost(WAIT).until(() -> viewer.ended().get());

        assertThat(viewer.last().path("status").asText()).isEqualTo("SOLD_OUT");
        assertThat(viewer.last().path("remainingQuantity").asLong()).isZero();
        assertThat(viewer.stock()).extracting(s -> s.path("remainingQuantity").asLong())
                .as("each change once, in order").containsExactly(100L, 60L, 0L);
    }

    @Test
    void stockChangingAllTheTimeThenAtMostAboutFourEventsASecond() throws Exception {
        long couponId = coupons.addCoupon(100_000);
        Viewer viewer = watch(couponId);
        await().atMost(WAIT).until(() -> viewer.last() != null);

        long start = System.nanoTime();
        for (int left = 99_999; System.nanoTime() - start < Duration.ofSeconds(3).toNanos(); left--) {
            coupons.set(couponId, left, "ACTIVE");
            Thread.sleep(5); // 200 changes a second
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int changes = viewer.stock().size() - 1;

        assertThat(changes).as("events in %.1f s", seconds).isPositive().isLessThanOrEqualTo((int) (seconds * 4) + 2);
    }

    @Test
    void manyViewersOfOneCouponThenOneReadPerIntervalWhateverTheirNumber() {
        long couponId = coupons.addCoupon(50);
        List<Viewer> viewers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            viewers.add(watch(couponId));
        }
        await().atMost(WAIT).until(() -> viewers.stream().allMatch(v -> v.last() != null));

        int before = coupons.calls();
        long start = System.nanoTime();
        coupons.set(couponId, 49, "ACTIVE");
        await().atMost(WAIT).until(() -> viewers.stream()
                .allMatch(v -> v.last().path("remainingQuantity").asLong() == 49));
        double intervals = (System.nanoTime() - start) / 250e6;

        // one call per 250 ms for all 20 viewers (other tests' viewers may share it), not one per viewer
        assertThat(coupons.calls() - before).isLessThanOrEqualTo((int) intervals + 3);
    }

    @Test
    void endedCouponThenOneLastEventAndTheStreamEndsAtOnce() {
        long couponId = coupons.addCoupon(10);
        coupons.set(couponId, 4, "ENDED");

        Viewer viewer = watch(couponId);

        await().atMost(WAIT).until(() -> viewer.ended().get());
        assertThat(viewer.stock()).hasSize(1);
        assertThat(viewer.last().path("status").asText()).isEqualTo("ENDED");
        assertThat(viewer.last().path("remainingQuantity").asLong()).isEqualTo(4);
    }

    @Test
    void couponDeletedWhileWatchedThenEndedLast() {
        long couponId = coupons.addCoupon(10);
        Viewer viewer = watch(couponId);
        await().atMost(WAIT).until(() -> viewer.last() != null);

        coupons.remove(couponId);

        await().atMost(WAIT).until(() -> viewer.ended().get());
        assertThat(viewer.last().path("status").asText()).isEqualTo("ENDED");
    }

    @Test
    void unknownCouponThenNotFoundProblem() {
        ApiClient.Response response = api.send("GET", "/api/v1/coupons/987654321987/stock/stream", null,
                "Accept", "text/event-stream");

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(response.json().path("code").asText()).isEqualTo("COUPON_NOT_FOUND");
    }

    @Test
    void couponIdNotANumberThenValidationFailed() {
        ApiClient.Response response = api.send("GET", "/api/v1/coupons/abc/stock/stream", null,
                "Accept", "text/event-stream");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().path("code").asText()).isEqualTo("VALIDATION_FAILED");
    }
}
