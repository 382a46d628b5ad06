package dev.couponhub.gateway;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CORS: the web app's dev origin may call the API (preflight without a token, Location and Retry-After
 * exposed); any other origin's preflight is refused with a problem.
 */
class CorsIT extends GatewayItSupport {

    @Test
    void corsPreflightFromAllowedOriginThenAllowedWithoutToken() {
        client.options().uri("/api/v1/coupons/1/claim")
                .header(HttpHeaders.ORIGIN, "http://localhost:5173")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization, content-type, idempotency-key")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "http://localhost:5173")
                .expectHeader().value(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, methods -> assertThat(methods)
                        .contains("POST"))
                .expectHeader().value(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, headers -> assertThat(headers)
                        .containsIgnoringCase("idempotency-key"));
    }

    @Test
    void corsRequestFromAllowedOriginThenExposesRetryAfterAndLocation() {
        client.get().uri("/api/v1/stores")
                .header(HttpHeaders.ORIGIN, "http://localhost:5173")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "http://localhost:5173")
                .expectHeader().value(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, exposed -> assertThat(exposed)
                        .contains("Location", "Retry-After"));
    }

    @Test
    void corsPreflightFromOtherOriginThenForbiddenProblem() {
        EntityExchangeResult<byte[]> result = client.options().uri("/api/v1/coupons/1/claim")
                .header(HttpHeaders.ORIGIN, "https://evil.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .exchange().expectBody().returnResult();

        assertProblem(result, HttpStatus.FORBIDDEN, "FORBIDDEN");
        assertThat(result.getResponseHeaders().getAccessControlAllowOrigin()).isNull();
    }
}
