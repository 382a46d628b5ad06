package dev.couponhub.gateway;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services' API documents, routed anonymously with the gateway as their server, and the Swagger UI
 * that lists every service.
 */
class ApiDocsIT extends GatewayItSupport {

    @Test
    void serviceApiDocsThenRoutedAnonymouslyWithGatewayAsServer() {
        EntityExchangeResult<byte[]> result = client.get().uri("/v3/api-docs/store")
                .header(HttpHeaders.AUTHORIZATION, "Bearer garbage")
                .exchange().expectStatus().isOk().expectBody().returnResult();

        JsonNode document = json(result);
        assertThat(document.path("openapi").asText()).isEqualTo("3.0.1");
        assertThat(document.path("servers").get(0).path("url").asText()).isEqualTo("/");
        assertThat(BACKEND.receivedPaths()).contains("/v3/api-docs");
    }

    @Test
    void serviceApiDocsWhenServiceDownThenDependencyUnavailable() {
        assertProblem(get("/v3/api-docs/ai", null), HttpStatus.SERVICE_UNAVAILABLE, "DEPENDENCY_UNAVAILABLE");
    }

    @Test
    void swaggerUiListsEveryService() {
        client.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();

        JsonNode config = json(client.get().uri("/v3/api-docs/swagger-config").exchange()
                .expectStatus().isOk().expectBody().returnResult());
        List<String> names = new ArrayList<>();
        config.path("urls").forEach(url -> names.add(url.path("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("user", "store", "coupon", "notification", "batch", "ai");
    }
}
