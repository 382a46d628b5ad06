package dev.couponhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One request, one trace, across the suite as {@code ./couponhub up -d} starts it: each request here carries a W3C
 * {@code traceparent} whose flags say "sampled" (as a traced caller's would), and the test then reads that trace from
 * the devstack's Zipkin ({@code /api/v2/trace/{id}}): the spans every service exported for it, linked parent to child
 * over HTTP (gateway to service), SQS (the outbox relay's message attribute to the consumer's span) and gRPC.
 */
@ExtendWith(CouponhubSuite.class)
class TracingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZIPKIN = "http://127.0.0.1:9411";
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private final ApiClient gateway = new ApiClient(8080);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void claimThenOneTraceFromTheGatewayThroughCouponServiceAndSqsToTheConsumers() throws Exception {
        String owner = account("OWNER");
        ApiClient.Response store = gateway.post("/api/v1/stores", Map.of("name", "Traced cafe", "category", "CAFE",
                "address", "Seoul 1"), "Authorization", owner);
        assertThat(store.status()).as(store.toString()).isEqualTo(201);
        ApiClient.Response coupon = gateway.post("/api/v1/coupons", Map.of("storeId", store.json().path("id").asLong(),
                "name", "Traced latte", "discountType", "FIXED", "discountValue", 1000, "totalQuantity", 10,
                "perUserLimit", 1, "issueStartsAt", "2026-01-01T00:00:00Z", "issueEndsAt", "2099-01-01T00:00:00Z",
                "validDaysAfterIssue", 30), "Authorization", owner);
        assertThat(coupon.status()).as(coupon.toString()).isEqualTo(201);
        String shopper = account("SHOPPER");
        String traceId = randomHex(32);
        String callerSpan = randomHex(16);

        ApiClient.Response claim = gateway.post("/api/v1/coupons/" + coupon.json().path("id").asLong() + "/claim",
                null, "Authorization", shopper, "traceparent", traceparent(traceId, callerSpan));
        assertThat(claim.status()).as(claim.toString()).isEqualTo(201);

        List<JsonNode> spans = awaitTrace(traceId, callerSpan, found -> services(found).containsAll(
                Set.of("gateway-service", "coupon-service", "notification-service", "batch-service")));
        // the claim: the gateway's server span, its call to coupon-service, coupon-service's server span
        JsonNode claimSpan = only(spans, "coupon-service", "SERVER");
        assertThat(claimSpan.path("tags").path("http.url").asText("") + claimSpan.path("name").asText())
                .contains("claim");
        JsonNode gatewayCall = byId(spans, claimSpan.path("parentId").asText());
        assertThat(gatewayCall.path("localEndpoint").path("serviceName").asText()).isEqualTo("gateway-service");
        // the event: each consumer's message span is a child of the claim's work in coupon-service, through the SQS
        // message the outbox relay sent
        for (String consumer : List.of("notification-service", "batch-service")) {
            JsonNode received = only(spans, consumer, "CONSUMER");
            JsonNode parent = byId(spans, received.path("parentId").asText());
            assertThat(parent.path("localEndpoint").path("serviceName").asText())
                    .as("%s's message span continues the claim", consumer).isEqualTo("coupon-service");
        }
    }

    @Test
    void recommendationsThenTheTraceCrossesGrpcFromAiServiceToCouponService() throws Exception {
        String shopper = account("SHOPPER");
        String traceId = randomHex(32);
        String callerSpan = randomHex(16);

        ApiClient.Response answer = gateway.get("/api/v1/recommendations/coupons?limit=3", "Authorization", shopper,
                "traceparent", traceparent(traceId, callerSpan));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);

        // ai-service asks coupon-service twice (claimable coupons, the shopper's history): two gRPC calls
        List<JsonNode> spans = awaitTrace(traceId, callerSpan,
                found -> all(found, "coupon-service", "SERVER").size() == 2);
        for (JsonNode grpcServer : all(spans, "coupon-service", "SERVER")) {
            assertThat(grpcServer.path("tags").path("rpc.service").asText())
                    .isEqualTo("couponhub.coupon.v1.CouponService");
            JsonNode grpcClient = byId(spans, grpcServer.path("parentId").asText());
            assertThat(grpcClient.path("localEndpoint").path("serviceName").asText()).isEqualTo("ai-service");
            assertThat(grpcClient.path("kind").asText()).isEqualTo("CLIENT");
            assertThat(grpcClient.path("name").asText()).isEqualTo(grpcServer.path("name").asText());
            JsonNode request = byId(spans, grpcClient.path("parentId").asText());
            assertThat(request.path("localEndpoint").path("serviceName").asText()).isEqualTo("ai-service");
            assertThat(request.path("kind").asText()).isEqualTo("SERVER");
        }
        assertThat(services(spans)).contains("gateway-service");
    }

    private String account(String role) {
        String email = "tracing-" + role.toLowerCase() + "-" + UUID.randomUUID() + "@example.com";
        ApiClient.Response signup = gateway.post("/api/v1/auth/signup",
                Map.of("email", email, "password", "password-1", "name", "Tracing", "role", role));
        assertThat(signup.status()).as(signup.toString()).isEqualTo(201);
        ApiClient.Response login = gateway.post("/api/v1/auth/login", Map.of("email", email, "password", "password-1"));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return "Bearer " + login.json().path("accessToken").asText();
    }

    /**
     * The trace's spans once {@code complete} holds for them and they are connected: every span's parent is in the
     * trace, but for the first span, whose parent is the caller's. Each service reports its spans on its own schedule
     * (within about a second), so a trace read too early may hold a child whose parent has not arrived yet.
     */
    private List<JsonNode> awaitTrace(String traceId, String callerSpan, Predicate<List<JsonNode>> complete)
            throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        List<JsonNode> spans = List.of();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(ZIPKIN + "/api/v2/trace/" + traceId)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                spans = new ArrayList<>();
                JSON.readTree(response.body()).forEach(spans::add);
                if (complete.test(spans) && connected(spans, callerSpan)) {
                    return spans;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("trace " + traceId + " incomplete after " + WITHIN + ": " + describe(spans));
    }

    private static boolean connected(List<JsonNode> spans, String callerSpan) {
        Set<String> ids = spans.stream().map(span -> span.path("id").asText()).collect(Collectors.toSet());
        return spans.stream().map(span -> span.path("parentId").asText(""))
                .allMatch(parent -> parent.equals(callerSpan) || ids.contains(parent));
    }

    private static Set<String> services(List<JsonNode> spans) {
        return spans.stream().map(span -> span.path("localEndpoint").path("serviceName").asText())
                .collect(Collectors.toSet());
    }

    private static List<JsonNode> all(List<JsonNode> spans, String service, String kind) {
        return spans.stream()
                .filter(span -> service.equals(span.path("localEndpoint").path("serviceName").asText())
                        && kind.equals(span.path("kind").asText()))
                .toList();
    }

    private static JsonNode only(List<JsonNode> spans, String service, String kind) {
        List<JsonNode> matching = all(spans, service, kind);
        assertThat(matching).as("%s spans of %s in %s", kind, service, describe(spans)).hasSize(1);
        return matching.get(0);
    }

    private static JsonNode byId(List<JsonNode> spans, String id) {
        Map<String, JsonNode> byId = new HashMap<>();
        spans.forEach(span -> byId.put(span.path("id").asText(), span));
        assertThat(byId).as("span %s in %s", id, describe(spans)).containsKey(id);
        return byId.get(id);
    }

    private static String describe(List<JsonNode> spans) {
        return spans.stream().map(span -> span.path("localEndpoint").path("serviceName").asText() + " "
                        + span.path("kind").asText("LOCAL") + " '" + span.path("name").asText() + "' id "
                        + span.path("id").asText() + " parent " + span.path("parentId").asText("-"))
                .collect(Collectors.joining("; ", "[", "]"));
    }

    private static String traceparent(String traceId, String spanId) {
        return "00-" + traceId + "-" + spanId + "-01";
    }

    private static String randomHex(int digits) {
        StringBuilder hex = new StringBuilder(digits);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < digits; i++) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }
}
