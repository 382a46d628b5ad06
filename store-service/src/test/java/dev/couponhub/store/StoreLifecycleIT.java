package dev.couponhub.store;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Reading, changing and deleting a store; the caller's own stores. */
class StoreLifecycleIT extends StoreServiceItSupport {

    @Test
    void getWhenUnknownThenStoreNotFound() {
        assertProblem(api.get(STORES + "/" + Long.MAX_VALUE), 404, "STORE_NOT_FOUND", STORES + "/" + Long.MAX_VALUE);
        assertProblem(api.get(STORES + "/0"), 404, "STORE_NOT_FOUND", STORES + "/0");
    }

    @Test
    void updateByOwnerThenReplacedAndUpdatedAtMoves() throws Exception {
        long ownerId = newUserId();
        JsonNode created = api.post(STORES, storeBody("Old Name", "FOOD", "Old address", "Old words"),
                owner(ownerId)).json();
        long id = created.path("id").asLong();
        Thread.sleep(5);

        ApiClient.Response response = api.put(STORES + "/" + id,
                storeBody(" New Name ", "ENTERTAINMENT", "New address", null), owner(ownerId));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode updated = response.json();
        assertThat(updated.path("id").asLong()).isEqualTo(id);
        assertThat(updated.path("ownerId").asLong()).isEqualTo(ownerId);
        assertThat(updated.path("name").asText()).isEqualTo("New Name");
        assertThat(updated.path("category").asText()).isEqualTo("ENTERTAINMENT");
        assertThat(updated.path("address").asText()).isEqualTo("New address");
        assertThat(updated.path("description").isNull()).isTrue();
        assertThat(updated.path("createdAt").asText()).isEqualTo(created.path("createdAt").asText());
        assertThat(Instant.parse(updated.path("updatedAt").asText()))
                .isAfter(Instant.parse(created.path("updatedAt").asText()));
        assertThat(api.get(STORES + "/" + id).json()).isEqualTo(updated);

        List<Map<String, Object>> events = outboxRows(id);
        assertThat(events).extracting(row -> row.get("type")).containsExactly("STORE_UPDATED", "STORE_UPDATED");
        assertThat(ApiClient.JSON.readTree((String) events.get(1).get("payload")).path("name").asText())
                .isEqualTo("New Name");
    }

    @Test
    void updateWithSameDetailsThenUnchangedAndNoEvent() {
        long ownerId = newUserId();
        Map<String, Object> body = storeBody("Same", "CAFE", "Same street", "Same words");
        JsonNode created = api.post(STORES, body, owner(ownerId)).json();
        long id = created.path("id").asLong();

        ApiClient.Response response = api.put(STORES + "/" + id, body, owner(ownerId));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).isEqualTo(created);
        assertThat(outboxRows(id)).hasSize(1);
    }

    @Test
    void updateBySomeoneElseThenNotStoreOwner() {
        long id = createStore(newUserId(), "Guarded", "FOOD").path("id").asLong();
        String path = STORES + "/" + id;
        Map<String, Object> body = storeBody("Taken", "FOOD", "Elsewhere", null);

        assertProblem(api.put(path, body, owner(newUserId())), 403, "NOT_STORE_OWNER", path);
        assertProblem(api.put(path, body, as(newUserId(), "ADMIN")), 403, "NOT_STORE_OWNER", path);
        assertThat(api.get(path).json().path("name").asText()).isEqualTo("Guarded");
    }

    @Test
    void updateWhenUnknownThenStoreNotFound() {
        String path = STORES + "/" + Long.MAX_VALUE;

        assertProblem(api.put(path, storeBody("Ghost", "FOOD", "Nowhere", null), owner(newUserId())), 404,
                "STORE_NOT_FOUND", path);
    }

    @Test
    void updateWithInvalidBodyThenValidationFailed() {
        long ownerId = newUserId();
        long id = createStore(ownerId, "Valid", "FOOD").path("id").asLong();
        String path = STORES + "/" + id;

        JsonNode problem = assertProblem(api.put(path, Map.of("name", ""), owner(ownerId)), 400, "VALIDATION_FAILED",
                path);

        assertThat(errorFields(problem)).containsExactlyInAnyOrder("name", "category", "address");
    }

    @Test
    void updateOrDeleteWithoutIdentityThenUnauthorized() {
        long id = createStore(newUserId(), "Locked", "FOOD").path("id").asLong();
        String path = STORES + "/" + id;

        assertProblem(api.put(path, storeBody("X", "FOOD", "Y", null)), 401, "UNAUTHORIZED", path);
        assertProblem(api.delete(path), 401, "UNAUTHORIZED", path);
        assertThat(api.get(path).status()).isEqualTo(200);
    }

    @Test
    void deleteByOwnerThenNoContentThenGoneEverywhere() {
        long ownerId = newUserId();
        String token = token();
        long id = createStore(ownerId, token + " closing", "FOOD").path("id").asLong();
        String path = STORES + "/" + id;

        ApiClient.Response response = api.delete(path, owner(ownerId));

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertProblem(api.get(path), 404, "STORE_NOT_FOUND", path);
        assertProblem(api.delete(path, owner(ownerId)), 404, "STORE_NOT_FOUND", path);
        assertProblem(api.put(path, storeBody("Back", "FOOD", "Again", null), owner(ownerId)), 404,
                "STORE_NOT_FOUND", path);
        assertThat(ListStoresIT.ids(api.get(STORES + "?q=" + token).json())).isEmpty();
        assertThat(ListStoresIT.ids(api.get(STORES + "/mine", owner(ownerId)).json())).isEmpty();

        Map<String, Object> row = jdbc.queryForMap("SELECT status, deleted_at FROM stores WHERE id = ?", id);
        assertThat(row.get("status")).isEqualTo("DELETED");
        assertThat(row.get("deleted_at")).isNotNull();
        List<Map<String, Object>> events = outboxRows(id);
        assertThat(events).extracting(event -> event.get("type")).containsExactly("STORE_UPDATED", "STORE_DELETED");
    }

    @Test
    void deleteBySomeoneElseThenNotStoreOwnerAndStoreStays() {
        long id = createStore(newUserId(), "Still Here", "FOOD").path("id").asLong();
        String path = STORES + "/" + id;

        assertProblem(api.delete(path, owner(newUserId())), 403, "NOT_STORE_OWNER", path);
        assertProblem(api.delete(path, as(newUserId(), "SHOPPER")), 403, "NOT_STORE_OWNER", path);
        assertThat(api.get(path).status()).isEqualTo(200);
    }

    @Test
    void deleteWhenUnknownThenStoreNotFound() {
        String path = STORES + "/" + Long.MAX_VALUE;

        assertProblem(api.delete(path, owner(newUserId())), 404, "STORE_NOT_FOUND", path);
    }

    @Test
    void mineThenOnlyTheCallersActiveStoresNewestFirst() {
        long ownerId = newUserId();
        long first = createStore(ownerId, "Mine 1", "FOOD").path("id").asLong();
        long second = createStore(ownerId, "Mine 2", "CAFE").path("id").asLong();
        long third = createStore(ownerId, "Mine 3", "CAFE").path("id").asLong();
        createStore(newUserId(), "Not mine", "CAFE");
        api.delete(STORES + "/" + second, owner(ownerId));

        JsonNode page = api.get(STORES + "/mine", owner(ownerId)).json();

        assertThat(ListStoresIT.ids(page)).containsExactly(third, first);
        assertThat(page.path("totalElements").asLong()).isEqualTo(2);

        JsonNode paged = api.get(STORES + "/mine?page=1&size=1", owner(ownerId)).json();
        assertThat(ListStoresIT.ids(paged)).containsExactly(first);
        assertThat(paged.path("totalPages").asInt()).isEqualTo(2);
    }

    @Test
    void mineWhenNotOwnerOrAnonymousThenForbiddenOrUnauthorized() {
        String path = STORES + "/mine";

        assertProblem(api.get(path, as(newUserId(), "SHOPPER")), 403, "FORBIDDEN", path);
        assertProblem(api.get(path), 401, "UNAUTHORIZED", path);
        assertThat(errorFields(assertProblem(api.get(path + "?size=0", owner(newUserId())), 400, "VALIDATION_FAILED",
                path))).containsExactly("size");
        assertThat(errorFields(assertProblem(api.get(path + "?page=500", owner(newUserId())), 400, "VALIDATION_FAILED",
                path))).containsExactly("page");
    }

    @Test
    void concurrentUpdatesThenEachSuccessPublishedAndLastWriteKept() throws Exception {
        long ownerId = newUserId();
        long id = createStore(ownerId, "Contended", "FOOD").path("id").asLong();
        String path = STORES + "/" + id;
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<ApiClient.Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                String name = "Writer " + i;
                Callable<ApiClient.Response> put = () -> new ApiClient(port).put(path,
                        storeBody(name, "FOOD", "Street", null), owner(ownerId));
                answers.add(pool.submit(put));
            }
            Set<String> written = new HashSet<>();
            int ok = 0;
            for (Future<ApiClient.Response> answer : answers) {
                ApiClient.Response response = answer.get();
                if (response.status() == 200) {
                    ok++;
                    written.add(response.json().path("name").asText());
                } else {
                    assertProblem(response, 409, "CONCURRENT_MODIFICATION", path);
                }
            }

            assertThat(ok).isPositive();
            String finalName = api.get(path).json().path("name").asText();
            assertThat(written).contains(finalName);
            List<Map<String, Object>> events = outboxRows(id);
            assertThat(events).hasSize(1 + ok);
            assertThat(ApiClient.JSON.readTree((String) events.get(events.size() - 1).get("payload")).path("name")
                    .asText()).isEqualTo(finalName);
            long version = jdbc.queryForObject("SELECT version FROM stores WHERE id = ?", Long.class, id);
            assertThat(version).isEqualTo(ok);
        } finally {
            pool.shutdownNow();
        }
    }
}
