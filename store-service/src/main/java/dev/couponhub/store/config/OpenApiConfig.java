package dev.couponhub.store.config;

import dev.couponhub.kit.outbox.OutboxProperties;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    @Bean
    OpenAPI storeServiceOpenApi(OutboxProperties outbox) {
        String description = """
                Stores of Couponhub.

                * Anyone may browse and read active stores. OWNER accounts create stores and change or delete \
                their own; other roles get 403 `FORBIDDEN`, other owners 403 `NOT_STORE_OWNER`.
                * Deleting is final: a deleted store answers 404 `STORE_NOT_FOUND` and is never listed; its \
                coupons end.
                * Lists are pages `{content, page, size, totalElements, totalPages}`, newest store first; `page` \
                is zero-based, `size` 1 to 100 (default 20).
                * Text is trimmed; lengths count characters. Unknown request fields are ignored.
                * Errors are `application/problem+json` (RFC 9457) with a stable `code`; validation failures are \
                400 `VALIDATION_FAILED` with `errors: [{field, message}]`.
                * Every change is also published to other services as an event on SQS queue `%s` \
                (`STORE_UPDATED` on creation and change, `STORE_DELETED`), at least once, each with the store's \
                `version` so that consumers apply them in version order.
                """.formatted(outbox.queue());
        return new OpenAPI()
                .info(new Info().title("Couponhub stores (store-service)").version("v1").description(description))
                .components(new Components().addSecuritySchemes("bearerAuth", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("Access token from login or refresh.")));
    }
}
