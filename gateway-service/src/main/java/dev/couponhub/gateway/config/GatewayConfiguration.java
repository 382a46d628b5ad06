package dev.couponhub.gateway.config;

import java.time.Clock;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    OpenAPI gatewayOpenApi() {
        return new OpenAPI().info(new Info()
                .title("Couponhub API gateway")
                .version("v1")
                .description("""
                        Single entry point of the Couponhub API. Choose a service in the selector above to \
                        see its operations. Send `Authorization: Bearer <accessToken>` (from \
                        `POST /api/v1/auth/login`); `/api/v1/auth/**` and `GET` on stores and coupons need \
                        no token. Errors are `application/problem+json` with a stable `code`; too many \
                        requests per caller answer 429 `RATE_LIMITED` with `Retry-After`; an unavailable \
                        service answers 503 `DEPENDENCY_UNAVAILABLE`. Limits: a request line over 4 KB is 414 \
                        `URI_TOO_LONG`, headers over 8 KB together 431 `REQUEST_HEADER_FIELDS_TOO_LARGE`, a body \
                        over 1 MB 413 `PAYLOAD_TOO_LARGE`; an `Accept` header that admits no JSON (or, for the \
                        streams, no `text/event-stream`) is 406 `NOT_ACCEPTABLE` before anything is done."""));
    }
}
