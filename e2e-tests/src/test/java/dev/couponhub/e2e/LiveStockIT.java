package dev.couponhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A coupon's live stock through the gateway, as a browser's EventSource sees it (API.md,
 * {@code GET /api/v1/coupons/{id}/stock/stream}): anonymous, the stock at once, each claim's change, and the last event
 * at {@code SOLD_OUT}, after which the stream ends, for each of three viewers (the gateway relays one stream of the
 * coupon to all of them); the whole suite as {@code ./couponhub up -d} starts it.
 */
@ExtendWith(CouponhubSuite.class)
class LiveStockIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WITHIN = Duration.ofSeconds(15);
    private static final int STOCK = 3;
    private static final int VIEWERS = 3;

    private final ApiClient gateway = new ApiClient(8080);

    private String account(String role) {
        String email = "live-stock-" + role.toLowerCase() + "-" + UUID.randomUUID() + "@example.com";
        ApiClient.Response signup = gateway.post("/api/v1/auth/signup",
                Map.of("email", email, "password", "password-1", "name", "Live stock", "role", role));
        assertThat(signup.status()).as(signup.toString()).isEqualTo(201);
        ApiClient.Response login = gateway.post("/api/v1/auth/login", Map.of("email", email, "password", "password-1"));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return "Bearer " + login.json().path("accessToken").asText();
    }

    @Test
    void anonymousViewerThenStockAtOnceEachClaimAndSoldOutLast() throws Exception {
        String owner = account("OWNER");
        ApiClient.Response store = gateway.post("/api/v1/stores", Map.of("name", "Live stock cafe", "category", "CAFE",
                "address", "Seoul 1"), "Authorization", owner);
        assertThat(store.status()).as(store.toString()).isEqualTo(201);
        ApiClient.Response coupon = gateway.post("/api/v1/coupons", Map.of("storeId", store.json().path("id").asLong(),
                "name", "Live stock latte", "discountType", "FIXED", "discountValue", 1000, "totalQuantity", STOCK,
                "perUserLimit", 1, "issueStartsAt", "2026-01-01T00:00:00Z", "issueEndsAt", "2099-01-01T00:00:00Z",
                "validDaysAfterIssue", 30), "Authorization", owner);
        assertThat(coupon.status()).as(coupon.toString()).isEqualTo(201);
        long couponId = coupon.json().path("id").asLong();

        // three viewers: the gateway relays one stream of the coupon to all of them
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<List<JsonNode>> viewers = new ArrayList<>();
        List<CompletableFuture<Void>> ends = new ArrayList<>();
        for (int viewer = 0; viewer < VIEWERS; viewer++) {
            HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(
                            URI.create(CouponhubSuite.BASE_URL + "/api/v1/coupons/" + couponId + "/stock/stream"))
                    .header("Accept", "text/event-stream")
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            List<JsonNode> seen = new CopyOnWriteArrayList<>();
            viewers.add(seen);
            // a thread each: the common pool may have one thread on two cores, and each read blocks
            ends.add(CompletableFuture.runAsync(() -> read(stream, seen), runnable -> new Thread(runnable).start()));
        }
        List<JsonNode> stock = viewers.get(0);
        for (List<JsonNode> seen : viewers) {
            waitFor(() -> !seen.isEmpty());
            assertThat(seen.get(0).path("remainingQuantity").asLong()).isEqualTo(STOCK);
        }
        assertThat(stock.get(0).path("status").asText()).isEqualTo("ACTIVE");

        for (int i = 0; i < STOCK; i++) {
            ApiClient.Response claim = gateway.post("/api/v1/coupons/" + couponId + "/claim", null,
                    "Authorization", account("SHOPPER"));
            assertThat(claim.status()).as(claim.toString()).isEqualTo(201);
        }

        for (int viewer = 0; viewer < VIEWERS; viewer++) {
            ends.get(viewer).get(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            List<JsonNode> seen = viewers.get(viewer);
            JsonNode last = seen.get(seen.size() - 1);
            assertThat(last.path("status").asText()).as("viewer %d", viewer).isEqualTo("SOLD_OUT");
            assertThat(last.path("remainingQuantity").asLong()).isZero();
            assertThat(seen).extracting(s -> s.path("remainingQuantity").asLong()).as("never up, only down")
                    .isSortedAccordingTo((a, b) -> Long.compare(b, a));
        }
    }

    @Test
    void unknownCouponThenNotFoundThroughTheGateway() {
        ApiClient.Response response = gateway.get("/api/v1/coupons/987654321987/stock/stream",
                "Accept", "text/event-stream");

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(response.json().path("code").asText()).isEqualTo("COUPON_NOT_FOUND");
    }

    /** The stock events' data until the stream ends. */
    private static void read(HttpResponse<java.io.InputStream> stream, List<JsonNode> stock) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String event = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:") && "stock".equals(event)) {
                    stock.add(JSON.readTree(line.substring(5).trim()));
                } else if (line.isEmpty()) {
                    event = null;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the stream broke instead of ending", e);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within %s", WITHIN).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
