package dev.couponhub.gateway;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which routes need a token: protected routes turn anonymous callers away before the backend is called,
 * reading stores and coupons and the auth routes are open to anyone (without an identity).
 */
class AccessPolicyIT extends GatewayItSupport {

    @Test
    void protectedRouteWithoutTokenThenUnauthorizedProblemWithBearerChallenge() {
        EntityExchangeResult<byte[]> result = get("/api/v1/users/me", null);

        assertProblem(result, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED");
        assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");
        assertThat(json(result).path("instance").asText()).isEqualTo("/api/v1/users/me");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/users/me",
            "/api/v1/issued-coupons",
            "/api/v1/issued-coupons/1",
            "/api/v1/subscriptions",
            "/api/v1/notifications",
            "/api/v1/notifications/stream",
            "/api/v1/stats/stores/1/coupons?from=2026-01-01&to=2026-01-31",
            "/api/v1/batch/jobs/coupon-usage-stats/runs/1",
            "/api/v1/recommendations/coupons"
    })
    void anonymousGetOnProtectedRouteThenUnauthorizedAndBackendNotCalled(String path) {
        List<String> before = BACKEND.receivedPaths();

        assertProblem(get(path, null), HttpStatus.UNAUTHORIZED, "UNAUTHORIZED");
        assertThat(BACKEND.receivedPaths()).hasSameSizeAs(before);
    }

    @ParameterizedTest
    @CsvSource({
            "POST, /api/v1/stores",
            "PUT, /api/v1/stores/1",
            "DELETE, /api/v1/stores/1",
            "POST, /api/v1/coupons",
            "POST, /api/v1/coupons/1/claim",
            "POST, /api/v1/coupons/1/end",
            "POST, /api/v1/redemptions",
            "POST, /api/v1/redemptions/cancel",
            "POST, /api/v1/redemptions/preview",
            "POST, /api/v1/issued-coupons/1/preview"
    })
    void anonymousWriteOnStoresAndCouponsThenUnauthorized(String method, String path) {
        EntityExchangeResult<byte[]> result = client.method(HttpMethod.valueOf(method)).uri(path)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectBody().returnResult();

        assertProblem(result, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED");
    }

    @Test
    void anonymousGetOnStoresAndCouponsThenForwardedWithoutIdentity() {
        for (String path : List.of("/api/v1/stores?q=cafe&page=0", "/api/v1/stores/7", "/api/v1/coupons",
                "/api/v1/coupons/search?q=%EC%BB%A4%ED%94%BC", "/api/v1/coupons/3")) {
            JsonNode echo = json(echoOf(client.get().uri(path)
                    .header("X-User-Id", "1").header("X-User-Role", "ADMIN")));

            assertThat(echo.path("method").asText()).isEqualTo("GET");
            assertThat(echo.path("headers").has("x-user-id")).as(path).isFalse();
            assertThat(echo.path("headers").has("x-user-role")).as(path).isFalse();
        }
    }

    @Test
    void authRoutesWithGarbageTokenThenForwardedAnonymously() {
        JsonNode echo = json(echoOf(client.post().uri("/api/v1/auth/login")
                .header(HttpHeaders.AUTHORIZATION, "Bearer garbage")
                .header("X-User-Id", "1")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"a@b.c\",\"password\":\"password1\"}")));

        assertThat(echo.path("method").asText()).isEqualTo("POST");
        assertThat(echo.path("path").asText()).isEqualTo("/api/v1/auth/login");
        assertThat(echo.path("headers").has("x-user-id")).isFalse();
        assertThat(echo.path("headers").has("authorization")).isFalse();
    }
}
