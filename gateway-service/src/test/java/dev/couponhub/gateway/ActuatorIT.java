package dev.couponhub.gateway;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's own actuator: health and Prometheus reachable anonymously, other endpoints not exposed and
 * never routed to a service.
 */
class ActuatorIT extends GatewayItSupport {

    @Test
    void actuatorPathsWithoutApiPrefixThenNotRoutedToServices() {
        for (String path : List.of("/actuator/env", "/actuator/gateway/routes", "/actuator/beans")) {
            assertProblem(get(path, null), HttpStatus.NOT_FOUND, "NOT_FOUND");
        }
        assertThat(BACKEND.receivedPaths()).noneMatch(path -> path.contains("actuator"));
    }

    @Test
    void gatewayHealthAndPrometheusThenReachableAnonymously() {
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");

        String metrics = client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }
}
