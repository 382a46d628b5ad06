package dev.couponhub.ai;

import static dev.couponhub.ai.FakeCouponService.claim;
import static dev.couponhub.ai.FakeCouponService.coupon;
import static dev.couponhub.ai.Problems.as;
import static dev.couponhub.ai.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * The service as configured by default: no chat model (no Vertex AI settings at all), coupon-service played by
 * {@link FakeCouponService}. Every answer is the fallback ranking.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "grpc.client.coupon-service.address=in-process:" + FakeCouponService.NAME,
})
class NoModelIT {

    private static final String PATH = "/api/v1/recommendations/coupons";

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
    }

    @Test
    void startsWithoutAnyChatModel() {
        assertThat(context.getBeanProvider(ChatModel.class).getIfAvailable()).isNull();
    }

    @Test
    void recommendWithoutModelThenFallbackRanking() {
        long shopper = 424_242_001L;
        FakeCouponService.instance().setClaimable(shopper, List.of(coupon(91_001, 1, "FOOD", 10),
                coupon(91_002, 2, "CAFE", 10), coupon(91_003, 3, "CAFE", 10), coupon(91_004, 4, "FOOD", 100)));
        FakeCouponService.instance().setHistory(shopper, List.of(claim(91_003, 3, "CAFE")));

        ApiClient.Response response = api.get(PATH + "?limit=3", as(shopper, "SHOPPER"));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("source").asText()).isEqualTo("FALLBACK");
        assertThat(body.path("generatedAt").asText()).isNotBlank();
        assertThat(body.path("items")).hasSize(2);
        assertThat(body.path("items").get(0).path("couponId").asLong()).isEqualTo(91_002);
        assertThat(body.path("items").get(0).path("reason").asText()).isEqualTo("자주 찾는 카페 카테고리의 쿠폰이에요");
        assertThat(body.path("items").get(1).path("couponId").asLong()).isEqualTo(91_001);
        assertThat(body.path("items").get(1).path("name").asText()).isEqualTo("Coupon 91001");
        assertThat(body.path("items").get(1).path("storeName").asText()).isEqualTo("Store 1");
    }

    @Test
    void healthIsUpAndPrometheusIsExposed() {
        ApiClient.Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");

        ApiClient.Response prometheus = api.get("/actuator/prometheus");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes").contains("application=\"ai-service\"");
    }

    @Test
    void openApiDescribesTheEndpoint() {
        ApiClient.Response docs = api.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body()).contains(PATH).contains("FALLBACK").contains("GEMINI");
    }

    @Test
    void unknownPathThenNotFoundProblem() {
        assertProblem(api.get("/api/v1/nothing-here"), 404, "NOT_FOUND", "/api/v1/nothing-here");
    }

    @Test
    void wrongMethodThenMethodNotAllowedProblem() {
        ApiClient.Response response = api.post(PATH, java.util.Map.of(), as(1, "SHOPPER"));
        assertThat(response.status()).isEqualTo(405);
        assertThat(response.json().path("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    }
}
