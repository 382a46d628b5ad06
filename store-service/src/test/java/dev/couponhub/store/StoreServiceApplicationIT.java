package dev.couponhub.store;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The service as a whole: health, metrics, its API description and the schema Flyway built. */
class StoreServiceApplicationIT extends StoreServiceItSupport {

    @Test
    void healthIsUpAndPrometheusIsExposed() {
        ApiClient.Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("UP");

        ApiClient.Response prometheus = api.get("/actuator/prometheus");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes")
                .contains("application=\"store-service\"")
                .contains("hikaricp_connections");
    }

    @Test
    void openApiDescribesEveryStoreEndpointWithoutIdentityHeaders() {
        ApiClient.Response docs = api.get("/v3/api-docs");

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().path("paths").has("/api/v1/stores")).isTrue();
        assertThat(docs.json().path("paths").has("/api/v1/stores/mine")).isTrue();
        assertThat(docs.json().path("paths").has("/api/v1/stores/{id}")).isTrue();
        assertThat(docs.json().path("paths").path("/api/v1/stores").path("post").path("responses").has("403")).isTrue();
        assertThat(docs.json().path("paths").path("/api/v1/stores/{id}").path("put").path("responses").has("403"))
                .isTrue();
        assertThat(docs.json().path("paths").has("/api/v1/stores/{id}/api-keys")).isTrue();
        assertThat(docs.json().path("paths").has("/api/v1/stores/{id}/api-keys/{keyId}")).isTrue();
        assertThat(docs.body()).doesNotContain("\"caller\"").contains("STORE_NOT_FOUND").contains("NOT_STORE_OWNER");
    }

    @Test
    void migrationsCreateTheTablesWithTheirIndexes() {
        List<String> migrations = jdbc.queryForList(
                "SELECT script FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank", String.class);
        assertThat(migrations).containsExactly("V1__create_stores.sql", "V2__create_outbox_events.sql",
                "V3__outbox_parked_events.sql", "V4__create_store_api_keys.sql", "V5__outbox_trace_parent.sql");
        assertThat(jdbc.queryForList("SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema "
                + "= DATABASE() AND table_name = 'store_api_keys'", String.class))
                .contains("uk_store_api_keys_hash", "ix_store_api_keys_store");

        List<String> storeIndexes = jdbc.queryForList("SELECT DISTINCT index_name FROM information_schema.statistics "
                + "WHERE table_schema = DATABASE() AND table_name = 'stores'", String.class);
        assertThat(storeIndexes).contains("ix_stores_owner_id", "ix_stores_status_category");
        List<String> outboxIndexes = jdbc.queryForList("SELECT DISTINCT index_name FROM information_schema.statistics "
                + "WHERE table_schema = DATABASE() AND table_name = 'outbox_events'", String.class);
        assertThat(outboxIndexes).contains("uk_outbox_events_event_id", "ix_outbox_events_sent_at_id");
        assertThat(jdbc.queryForList("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                + "DATABASE() AND table_name = 'outbox_events' AND is_nullable = 'YES'", String.class))
                .containsExactlyInAnyOrder("sent_at", "parked_at", "trace_parent");
    }
}
