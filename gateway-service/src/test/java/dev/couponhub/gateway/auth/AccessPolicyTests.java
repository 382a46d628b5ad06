package dev.couponhub.gateway.auth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;

import static org.assertj.core.api.Assertions.assertThat;

class AccessPolicyTests {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "POST, /api/v1/auth/login, ANONYMOUS",
            "POST, /api/v1/auth/refresh, ANONYMOUS",
            "GET, /v3/api-docs/user, ANONYMOUS",
            "GET, /api/v1/stores, OPTIONAL",
            "GET, /api/v1/stores/12, OPTIONAL",
            "HEAD, /api/v1/coupons/5, OPTIONAL",
            "OPTIONS, /api/v1/coupons, OPTIONAL",
            "GET, /api/v1/coupons/search, OPTIONAL",
            "POST, /api/v1/stores, REQUIRED",
            "PUT, /api/v1/stores/12, REQUIRED",
            "DELETE, /api/v1/stores/12, REQUIRED",
            "POST, /api/v1/coupons/5/claim, REQUIRED",
            "GET, /api/v1/users/me, REQUIRED",
            "GET, /api/v1/storesx, REQUIRED",
            "GET, /api/v1/issued-coupons, REQUIRED",
            "GET, /api/v1/notifications/stream, REQUIRED",
            "GET, /api/v1/recommendations/coupons, REQUIRED",
            "GET, /api/v1/authx, REQUIRED"
    })
    void ofWhenMethodAndPathThenAccessOfRouteTable(String method, String path, AccessPolicy.Access expected) {
        assertThat(AccessPolicy.of(HttpMethod.valueOf(method), PathContainer.parsePath(path))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "GET, /api/v1/notifications/stream, true",
            "POST, /api/v1/notifications/stream, false",
            "GET, /api/v1/notifications, false",
            "GET, /api/v1/users/me, false"
    })
    void acceptsQueryTokenOnlyOnGetOfTheStream(String method, String path, boolean expected) {
        assertThat(AccessPolicy.acceptsQueryToken(HttpMethod.valueOf(method), PathContainer.parsePath(path)))
                .isEqualTo(expected);
    }
}
