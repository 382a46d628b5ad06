package dev.couponhub.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Health, metrics and problem+json for paths that do not exist, on the service as it really starts. */
class ServiceBasicsIT extends BatchItSupport {

    @Autowired
    TestRestTemplate http;

    @Test
    void healthIsUpAndPrometheusIsExposed() {
        ResponseEntity<String> health = http.getForEntity("/actuator/health", String.class);
        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(health.getBody()).contains("\"status\":\"UP\"");

        ResponseEntity<String> prometheus = http.getForEntity("/actuator/prometheus", String.class);
        assertThat(prometheus.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(prometheus.getBody()).contains("jvm_memory_used_bytes").contains("application=\"batch-service\"")
                .contains("couponhub_sqs_messages{")
                .contains("queue=\"coupon-events-stats\"")
                .contains("queue=\"coupon-events-stats-dlq\"");
    }

    @Test
    void unknownPathThenNotFoundProblem() {
        ResponseEntity<String> response = http.getForEntity("/api/v1/nothing-here", String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody())
                .contains("\"code\":\"NOT_FOUND\"")
                .contains("\"status\":404")
                .contains("\"instance\":\"/api/v1/nothing-here\"")
                .doesNotContain("Exception");
    }
}
