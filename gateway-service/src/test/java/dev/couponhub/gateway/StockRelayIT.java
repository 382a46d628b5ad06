package dev.couponhub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.gateway.testing.TestBackend;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Flux;

/**
 * A coupon's live stock through the gateway, which relays it: one stream from notification-service (the test backend)
 * per coupon however many viewers watch it here, the latest stock at once to each, the last stock ending every
 * viewer's stream, a stream notification-service ended early opened again without the viewers noticing, and
 * notification-service's refusals passed on as they came.
 */
class StockRelayIT extends GatewayItSupport {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @Autowired
    MeterRegistry meters;

    @Test
    void fiftyViewersOfOneCouponThenOneStreamFromNotificationServiceAndEachSeesTheSellOutInOrder() {
        // more viewers than the relay's groups (StockRelay.GROUPS), so groups written at different times hold several
        List<List<JsonNode>> seen = Flux.range(0, 50)
                .flatMap(viewer -> stock(TestBackend.SELLING_OUT).collectList(), 50)
                .collectList()
                .block(Duration.ofSeconds(20));

        assertThat(seen).hasSize(50);
        for (List<JsonNode> events : seen) {
            assertThat(events).as("each viewer gets the stock, then every change it was there for").isNotEmpty();
            List<Integer> remaining = events.stream().map(event -> event.path("remainingQuantity").asInt()).toList();
            assertThat(remaining).as("changes in order, none twice").isSortedAccordingTo((a, b) -> b - a)
                    .doesNotHaveDuplicates();
            assertThat(events.get(events.size() - 1).path("status").asText())
                    .as("the stream ends after the last stock").isEqualTo("SOLD_OUT");
        }
        assertThat(BACKEND.stockStreamsOpened(TestBackend.SELLING_OUT))
                .as("one stream from notification-service for all fifty viewers").isEqualTo(1);
        awaitNoCouponRelayed();
    }

    @Test
    void notificationServiceEndsTheStreamWithoutALastStockThenTheRelayOpensItAgainAndTheViewerStays() {
        int before = BACKEND.stockStreamsOpened(TestBackend.RESTARTING);

        List<Integer> remaining = stock(TestBackend.RESTARTING).take(3)
                .map(event -> event.path("remainingQuantity").asInt())
                .collectList().block(Duration.ofSeconds(15));

        // each stream notification-service opens carries one stock, ten times the streams opened so far
        assertThat(remaining).hasSize(3).isSortedAccordingTo(Integer::compare).doesNotHaveDuplicates();
        assertThat(BACKEND.stockStreamsOpened(TestBackend.RESTARTING)).isGreaterThanOrEqualTo(before + 3);
        awaitNoCouponRelayed();
    }

    @Test
    void aViewerGetsAKeepAliveCommentEveryHeartbeat() {
        // heartbeat 1 s here (GatewayItSupport); the restarting coupon's stock changes about every 0.8 s
        List<ServerSentEvent<String>> events = streamClient().get()
                .uri("/api/v1/coupons/{id}/stock/stream", TestBackend.RESTARTING)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(SSE)
                .take(Duration.ofMillis(2500))
                .collectList().block(Duration.ofSeconds(10));

        assertThat(events).filteredOn(event -> "keep-alive".equals(event.comment())).hasSizeGreaterThanOrEqualTo(2);
        assertThat(events).filteredOn(event -> "stock".equals(event.event())).isNotEmpty();
        awaitNoCouponRelayed();
    }

    @Test
    void unknownCouponThenNotificationServicesProblemAsItCame() {
        client.get().uri("/api/v1/coupons/9/stock/stream").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().json(TestBackend.COUPON_NOT_FOUND_BODY);
        awaitNoCouponRelayed();
    }

    @Test
    void noFirstStockInTimeThen503() {
        long started = System.nanoTime();
        client.get().uri("/api/v1/coupons/" + TestBackend.SILENT + "/stock/stream").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("DEPENDENCY_UNAVAILABLE");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("within the first-event time (1 s here)")
                .isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void theRelayIsOnlyReachableThroughTheStockRoute() {
        client.get().uri("/internal/stock-relay").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        // anonymous only for reading; a signed-in caller's other method is refused by the relay
        client.post().uri("/api/v1/coupons/" + TestBackend.SELLING_OUT + "/stock/stream")
                .header("Authorization", bearer(KEY.token(newUserId(), "SHOPPER"))).exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "GET")
                .expectBody().jsonPath("$.code").isEqualTo("METHOD_NOT_ALLOWED");
    }

    private Flux<JsonNode> stock(String couponId) {
        return streamClient().get().uri("/api/v1/coupons/{id}/stock/stream", couponId)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(SSE)
                .filter(event -> "stock".equals(event.event()))
                .map(event -> {
                    try {
                        return JSON.readTree(event.data());
                    } catch (Exception e) {
                        throw new AssertionError("stock data is JSON: " + event.data(), e);
                    }
                })
                .onErrorMap(WebClientResponseException.class,
                        e -> new AssertionError(e.getStatusCode() + " " + e.getResponseBodyAsString(), e));
    }

    /** The last viewer gone, the coupon's stream from notification-service is closed. */
    private void awaitNoCouponRelayed() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        double relayed;
        do {
            relayed = meters.get("couponhub.gateway.stock.relayed").gauge().value();
            if (relayed == 0) {
                return;
            }
            sleep(50);
        } while (System.nanoTime() < deadline);
        assertThat(relayed).as("coupons still relayed after their viewers left").isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
