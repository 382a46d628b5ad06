package dev.couponhub.ai.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    @Bean
    OpenAPI aiServiceOpenApi() {
        String description = """
                Personalised coupon recommendations of Couponhub.

                * `GET /api/v1/recommendations/coupons?limit=` (shoppers only, `limit` 1..20, default 5) answers \
                coupons the caller can claim right now and has not claimed, best first, each with a short Korean \
                `reason`.
                * `source: GEMINI`: a chat model (Vertex AI Gemini through Spring AI) chose them from the caller's own \
                claim history and the claimable coupons; every id it answers is checked (unknown, already claimed, \
                sold-out or repeated ones are dropped). `source: FALLBACK`: a ranking without any model chose them \
                (favourite categories and stores, coupons ending soon, popularity; ties by coupon id).
                * FALLBACK is used within the same response time whenever the model is not configured, slower than \
                its time-out (3 s by default), fails or answers nothing usable. The model is configured only when \
                the service runs with `COUPONHUB_AI_MODEL=vertexai` and the Vertex AI project and location.
                * Answers are reused for the same shopper and `limit` for a short while (60 s by default).
                * coupon-service unreachable: 503 `DEPENDENCY_UNAVAILABLE` at once (nothing can be recommended \
                without the claimable coupons).
                * Errors are `application/problem+json` (RFC 9457) with a stable `code`.
                """;
        return new OpenAPI()
                .info(new Info().title("Couponhub recommendations (ai-service)").version("v1").description(description))
                .components(new Components().addSecuritySchemes("bearerAuth", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("Access token from login or refresh.")));
    }
}
