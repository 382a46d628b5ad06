package dev.couponhub.user;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Actuator and the OpenAPI description. */
class OperationsIT extends UserServiceItSupport {

    @Test
    void healthThenUp() {
        ApiClient.Response response = api.get("/actuator/health");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void prometheusThenMetrics() {
        ApiClient.Response response = api.get("/actuator/prometheus");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes").contains("hikaricp_connections");
    }

    @Test
    void apiDocsThenEveryAccountEndpointDocumentedAndJwksAndInternalEndpointsHidden() {
        ApiClient.Response response = api.get("/v3/api-docs");

        assertThat(response.status()).isEqualTo(200);
        JsonNode paths = response.json().get("paths");
        assertThat(paths.has("/api/v1/auth/signup")).isTrue();
        assertThat(paths.has("/api/v1/auth/login")).isTrue();
        assertThat(paths.has("/api/v1/auth/refresh")).isTrue();
        assertThat(paths.has("/api/v1/auth/logout")).isTrue();
        assertThat(paths.path("/api/v1/users/me").has("get")).isTrue();
        assertThat(paths.path("/api/v1/users/me").has("patch")).isTrue();
        assertThat(paths.path("/api/v1/users/me").has("delete")).isTrue();
        assertThat(paths.path("/api/v1/users/me/password").has("put")).isTrue();
        assertThat(paths.has("/.well-known/jwks.json")).isFalse();
        assertThat(paths.has("/internal/v1/session-revocations")).isFalse();
        assertThat(paths.path("/api/v1/auth/login").path("post").path("responses").has("429")).isTrue();
        assertThat(paths.path("/api/v1/auth/signup").path("post").path("responses").has("409")).isTrue();
        assertThat(paths.path("/api/v1/users/me").path("get").path("parameters").isMissingNode()
                || paths.path("/api/v1/users/me").path("get").path("parameters").isEmpty()).isTrue();
        assertThat(response.json().path("components").path("schemas").has("User")).isTrue();
        assertThat(response.json().path("components").path("schemas").has("Tokens")).isTrue();
        assertThat(response.json().path("components").path("schemas").path("Problem").path("properties").has("code"))
                .isTrue();
        assertThat(paths.path("/api/v1/auth/signup").path("post").path("responses").path("409").path("content")
                .path("application/problem+json").path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/Problem");
        assertThat(response.json().path("info").path("description").asText()).contains("15 minutes").contains("14 days");
    }
}
