package dev.couponhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.Test;

/**
 * A store's API keys: the owner creates (the key shown once, only its hash kept), lists and deletes them; the gateway
 * looks a key up by its SHA-256 on the internal path, which knows no deleted key and no key of a deleted store.
 */
class ApiKeysIT extends StoreServiceItSupport {

    private static final String LOOKUP = "/internal/v1/api-keys/";

    @Test
    void ownerCreatesAKeyShownOnceThenTheGatewayFindsItsStoreByHashAndTheListShowsItsUse() throws Exception {
        long owner = newUserId();
        long storeId = createStore(owner, "Keys " + token(), "CAFE").path("id").asLong();
        String path = STORES + "/" + storeId + "/api-keys";

        ApiClient.Response created = api.post(path, Map.of("name", "  POS counter 1  "), owner(owner));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode key = created.json();
        String secret = key.path("key").asText();
        assertThat(secret).matches("chk_[A-Za-z0-9_-]{40}");
        assertThat(key.path("prefix").asText()).isEqualTo(secret.substring(0, 12));
        assertThat(key.path("name").asText()).isEqualTo("POS counter 1");
        // only the hash is stored
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM store_api_keys WHERE id = ?", key.path("id").asLong());
        assertThat(row.values()).noneMatch(value -> String.valueOf(value).contains(secret.substring(12)));
        assertThat((byte[]) row.get("key_hash")).isEqualTo(sha256(secret));

        JsonNode listed = api.get(path, owner(owner)).json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("key")).isFalse();
        assertThat(listed.get(0).path("lastUsedAt").isNull()).isTrue();

        ApiClient.Response found = api.get(LOOKUP + hex(secret));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().path("keyId").asLong()).isEqualTo(key.path("id").asLong());
        assertThat(found.json().path("storeId").asLong()).isEqualTo(storeId);
        assertThat(api.get(path, owner(owner)).json().get(0).path("lastUsedAt").isNull()).isFalse();
        assertThat(api.get(LOOKUP + hex(secret + "x")).status()).isEqualTo(404);
        assertThat(api.get(LOOKUP + "not-a-hash").status()).isEqualTo(404);
        // the internal path is not part of the public description
        assertThat(api.get("/v3/api-docs").json().path("paths").has("/internal/v1/api-keys/{hash}")).isFalse();
    }

    @Test
    void deletedKeyAndKeysOfADeletedStoreThenNotFoundByTheGateway() {
        long owner = newUserId();
        long storeId = createStore(owner, "Gone " + token(), "FOOD").path("id").asLong();
        String path = STORES + "/" + storeId + "/api-keys";
        JsonNode first = api.post(path, Map.of("name", "first"), owner(owner)).json();
        JsonNode second = api.post(path, Map.of("name", "second"), owner(owner)).json();

        assertThat(api.delete(path + "/" + first.path("id").asLong(), owner(owner)).status()).isEqualTo(204);
        assertThat(api.get(LOOKUP + hex(first.path("key").asText())).status()).isEqualTo(404);
        assertThat(api.get(LOOKUP + hex(second.path("key").asText())).status()).isEqualTo(200);
        assertThat(api.get(path, owner(owner)).json().findValuesAsText("name")).containsExactly("second");
        assertProblem(api.delete(path + "/" + first.path("id").asLong(), owner(owner)), 404, "API_KEY_NOT_FOUND",
                path + "/" + first.path("id").asLong());

        assertThat(api.delete(STORES + "/" + storeId, owner(owner)).status()).isEqualTo(204);
        assertThat(api.get(LOOKUP + hex(second.path("key").asText())).status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM store_api_keys WHERE store_id = ?", Long.class, storeId))
                .isZero();
        assertProblem(api.get(path, owner(owner)), 404, "STORE_NOT_FOUND", path);
    }

    @Test
    void otherOwnersShoppersBadNamesUnknownStoresAndKeysThenRefused() {
        long owner = newUserId();
        long storeId = createStore(owner, "Mine " + token(), "CAFE").path("id").asLong();
        long otherOwner = newUserId();
        long otherStore = createStore(otherOwner, "Theirs " + token(), "CAFE").path("id").asLong();
        String path = STORES + "/" + storeId + "/api-keys";
        long keyId = api.post(path, Map.of("name", "k"), owner(owner)).json().path("id").asLong();

        assertProblem(api.post(path, Map.of("name", "k"), owner(otherOwner)), 403, "NOT_STORE_OWNER", path);
        assertProblem(api.get(path, owner(otherOwner)), 403, "NOT_STORE_OWNER", path);
        assertProblem(api.delete(path + "/" + keyId, owner(otherOwner)), 403, "NOT_STORE_OWNER", path + "/" + keyId);
        assertProblem(api.post(path, Map.of("name", "k"), as(owner, "SHOPPER")), 403, "FORBIDDEN", path);
        // a key of this store named on another store
        String otherPath = STORES + "/" + otherStore + "/api-keys/" + keyId;
        assertProblem(api.delete(otherPath, owner(otherOwner)), 404, "API_KEY_NOT_FOUND", otherPath);
        assertProblem(api.get(STORES + "/987654321/api-keys", owner(owner)), 404, "STORE_NOT_FOUND",
                STORES + "/987654321/api-keys");
        assertThat(errorFields(assertProblem(api.post(path, Map.of("name", " "), owner(owner)), 400,
                "VALIDATION_FAILED", path))).containsExactly("name");
        assertThat(errorFields(assertProblem(api.post(path, Map.of("name", "x".repeat(101)), owner(owner)), 400,
                "VALIDATION_FAILED", path))).containsExactly("name");
        assertProblem(api.send("POST", path, "{", owner(owner)), 400, "VALIDATION_FAILED", path);
        assertProblem(api.get(path), 401, "UNAUTHORIZED", path);
        assertThat(api.get(path, owner(owner)).json()).hasSize(1);
    }

    @Test
    void twentyKeysAtMostEvenWhenCreatedAtOnce() throws Exception {
        long owner = newUserId();
        long storeId = createStore(owner, "Many " + token(), "CAFE").path("id").asLong();
        String path = STORES + "/" + storeId + "/api-keys";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int n = i;
                futures.add(pool.submit(() -> api.post(path, Map.of("name", "k" + n), owner(owner)).status()));
            }
            for (Future<Integer> future : futures) {
                statuses.add(future.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statuses).filteredOn(status -> status == 201).hasSize(20);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(10);
        assertThat(api.get(path, owner(owner)).json()).hasSize(20);
        assertProblem(api.post(path, Map.of("name", "one more"), owner(owner)), 409, "API_KEY_LIMIT_REACHED", path);
    }

    private static byte[] sha256(String key) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(String key) {
        try {
            return HexFormat.of().formatHex(sha256(key));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
