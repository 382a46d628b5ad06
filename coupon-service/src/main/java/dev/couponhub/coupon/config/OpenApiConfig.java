package dev.couponhub.coupon.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    @Bean
    OpenAPI couponServiceOpenApi() {
        String description = """
                Coupons of Couponhub: publishing, browsing, first-come-first-served claims, issued coupons and \
                redemption.

                * Times are ISO-8601 instants; money is whole won (integers).
                * Lists are pages `{content, page, size, totalElements, totalPages}`; `page` is zero-based, `size` \
                1 to 100 (default 20).
                * Claims: every 201 is durable; never more issued than `totalQuantity`, never more per shopper than \
                `perUserLimit`. A claim with an `Idempotency-Key` (1..100 characters) repeated by the same shopper \
                returns the first answer (201 body or error) and issues nothing new; keys are per shopper and \
                compared exactly, a key already used for another coupon is refused (422 `IDEMPOTENCY_KEY_REUSED`), \
                and error answers are remembered for 24 hours.
                * `expiresAt` of an issued coupon is the earlier of `validUntil` and `issuedAt` + \
                `validDaysAfterIssue` days (24-hour days, no calendar rounding).
                * Errors are `application/problem+json` (RFC 9457) with a stable `code`; validation failures are \
                400 `VALIDATION_FAILED` with `errors: [{field, message}]`.
                * Search (`GET /api/v1/coupons/search`) is full text over name, description and store name in \
                Elasticsearch, best match first. The analyzer is configurable (`standard` by default, `nori` where \
                the plugin exists); with `standard`, Korean words are matched whole or by prefix, not by an inner \
                part of a word. Results are read from the database, so `status` and quantities are current; a \
                change is searchable within a few seconds. Search down: 503 `DEPENDENCY_UNAVAILABLE`; publishing, \
                claiming and browsing never depend on it.
                * Changes are published as events on SQS (`coupon-events-notification`, `coupon-events-stats`), at \
                least once; see EVENTS.md in the service's source.
                """;
        return new OpenAPI()
                .info(new Info().title("Couponhub coupons (coupon-service)").version("v1").description(description))
                .components(new Components().addSecuritySchemes("bearerAuth", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("Access token from login or refresh.")));
    }
}
