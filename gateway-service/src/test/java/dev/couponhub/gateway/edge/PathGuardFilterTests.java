package dev.couponhub.gateway.edge;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PathGuardFilterTests {

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/users/../../actuator/health",
            "/api/v1/users/..",
            "/api/v1/stores/./1",
            "/api/v1/users/%2e%2e/%2e%2e/actuator/env",
            "/api/v1/users/%2E%2E/actuator",
            "/api/v1/users/.%2e/actuator",
            "/api/v1/users/%2F..%2Factuator",
            "/api/v1/users/..%2factuator",
            "/api/v1/stores/..;/actuator/env",
            "/api/v1/stores;jsessionid=1/1",
            "/api/v1/users/%3b/x",
            "/api/v1/users/%252e%252e/actuator",
            "/api/v1/users/..\\actuator",
            "/api/v1/users/%5c..%5cactuator",
            "/api/v1/users//me",
            "/api/v1/users/%00"
    })
    void isAmbiguousWhenPathCouldBeResolvedDifferentlyThenTrue(String rawPath) {
        assertThat(PathGuardFilter.isAmbiguous(rawPath)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/stores",
            "/api/v1/stores/12",
            "/api/v1/coupons/search",
            "/api/v1/coupons/%EC%BB%A4%ED%94%BC",
            "/api/v1/stores/a.b",
            "/api/v1/stores/...",
            "/.well-known/x",
            "/"
    })
    void isAmbiguousWhenCanonicalPathThenFalse(String rawPath) {
        assertThat(PathGuardFilter.isAmbiguous(rawPath)).isFalse();
    }
}
