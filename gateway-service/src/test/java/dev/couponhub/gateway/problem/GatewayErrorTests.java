package dev.couponhub.gateway.problem;

import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayErrorTests {

    @Test
    void ofWhenNoHandlerThenNotFound() {
        GatewayError error = GatewayError.of(new ResponseStatusException(HttpStatus.NOT_FOUND));

        assertThat(error.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(error.code()).isEqualTo("NOT_FOUND");
        assertThat(error.unexpected()).isFalse();
    }

    @Test
    void ofWhenWrongMethodThenMethodNotAllowedWithAllowHeader() {
        GatewayError error = GatewayError.of(new MethodNotAllowedException(HttpMethod.POST, Set.of(HttpMethod.GET)));

        assertThat(error.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(error.code()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(error.headers().getAllow()).containsExactly(HttpMethod.GET);
    }

    @Test
    void ofWhenMalformedInputThenValidationFailed() {
        GatewayError error = GatewayError.of(new ServerWebInputException("bad"));

        assertThat(error.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(error.code()).isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void ofWhenBackendTimedOutOrUnreachableThenDependencyUnavailable() {
        assertThat(GatewayError.of(new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT)).code())
                .isEqualTo("DEPENDENCY_UNAVAILABLE");
        assertThat(GatewayError.of(new ResponseStatusException(HttpStatus.BAD_GATEWAY)).status())
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(GatewayError.of(new TimeoutException()).code()).isEqualTo("DEPENDENCY_UNAVAILABLE");
    }

    @Test
    void ofWhenAnythingElseThenInternalErrorWithGenericDetail() {
        GatewayError error = GatewayError.of(new IllegalStateException("secret internals"));

        assertThat(error.status()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(error.code()).isEqualTo("INTERNAL_ERROR");
        assertThat(error.detail()).doesNotContain("secret");
        assertThat(error.unexpected()).isTrue();
    }
}
