package dev.couponhub.coupon;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Actuator endpoints and the problem+json answers of the framework's own errors. */
class ServiceBasicsIT extends CouponServiceItSupport {

    @Autowired
    private DataSource dataSource;

    @Autowired
    private Flyway flyway;

    @Test
    void poolConnectionsGiveUpOnASilentDatabaseAfterTwoSecondsMigrationsNever() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getNetworkTimeout()).isEqualTo(2000);
        }
        try (Connection connection = flyway.getConfiguration().getDataSource().getConnection()) {
            assertThat(connection.getNetworkTimeout()).as("a migration may run for minutes").isZero();
        }
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getNetworkTimeout()).as("given back to the pool as it was").isEqualTo(2000);
        }
    }

    @Test
    void healthIsUpAndPrometheusIsExposed() {
        ApiClient.Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");

        ApiClient.Response prometheus = api.get("/actuator/prometheus");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes").contains("application=\"coupon-service\"");
    }

    @Test
    void unknownPathThenNotFoundProblem() {
        assertProblem(api.get("/api/v1/nothing-here"), 404, "NOT_FOUND", "/api/v1/nothing-here");
    }

    @Test
    void wrongMethodThenMethodNotAllowedProblem() {
        ApiClient.Response response = api.send("DELETE", COUPONS, null);
        assertThat(response.status()).isEqualTo(405);
        assertThat(response.json().path("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void malformedJsonThenValidationFailed() {
        long[] store = newStore("CAFE");
        assertProblem(api.send("POST", COUPONS, "{\"storeId\": " + store[1] + ", ", owner(store[0])), 400,
                "VALIDATION_FAILED", COUPONS);
    }
}
