package dev.couponhub.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.Test;

class ServiceBasicsIT extends NotificationItSupport {

    @Test
    void healthIsUpAndPrometheusShowsTheAlertMetrics() {
        ApiClient.Response health = api.get("/actuator/health");
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("UP");
        String metrics = api.get("/actuator/prometheus").body();
        assertThat(metrics).contains("application=\"notification-service\"")
                .contains("couponhub_sse_connections")
                .contains("couponhub_alerts_total")
                .contains("couponhub_mails_sent_total")
                .contains("couponhub_mails_failed_total")
                .contains("couponhub_sqs_messages{")
                .contains("queue=\"coupon-events-notification\"")
                .contains("queue=\"coupon-events-notification-dlq\"");
    }

    @Test
    void unknownPathThenNotFoundProblem() {
        assertProblem(api.get("/api/v1/nothing-here"), 404, "NOT_FOUND", "/api/v1/nothing-here");
    }

    @Test
    void openApiDescribesTheEndpoints() {
        ApiClient.Response docs = api.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().path("paths").fieldNames()).toIterable().contains("/api/v1/subscriptions",
                "/api/v1/subscriptions/{storeId}", "/api/v1/notifications", "/api/v1/notifications/{id}/read",
                "/api/v1/notifications/read-all", "/api/v1/notifications/stream");
    }
}
