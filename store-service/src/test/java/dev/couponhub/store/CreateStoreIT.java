package dev.couponhub.store;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class CreateStoreIT extends StoreServiceItSupport {

    @Test
    void createWhenOwnerThenCreatedWithLocationAndEveryField() {
        long ownerId = newUserId();
        Instant before = Instant.now();

        ApiClient.Response response = api.post(STORES,
                storeBody("  Cafe Haneul  ", "CAFE", " 12 Teheran-ro, Gangnam-gu ", " Hand-drip coffee. "),
                owner(ownerId));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode store = response.json();
        long id = store.path("id").asLong();
        assertThat(id).isPositive();
        assertThat(response.header("Location")).isEqualTo("/api/v1/stores/" + id);
        assertThat(store.path("ownerId").asLong()).isEqualTo(ownerId);
        assertThat(store.path("name").asText()).isEqualTo("Cafe Haneul");
        assertThat(store.path("category").asText()).isEqualTo("CAFE");
        assertThat(store.path("address").asText()).isEqualTo("12 Teheran-ro, Gangnam-gu");
        assertThat(store.path("description").asText()).isEqualTo("Hand-drip coffee.");
        Instant createdAt = Instant.parse(store.path("createdAt").asText());
        assertThat(createdAt).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
        assertThat(store.path("updatedAt").asText()).isEqualTo(store.path("createdAt").asText());
        assertThat(store.properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder(
                "id", "ownerId", "name", "category", "address", "description", "createdAt", "updatedAt");

        ApiClient.Response read = api.get(STORES + "/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(store);
    }

    @Test
    void createThenStoreUpdatedEventInTheOutbox() {
        long ownerId = newUserId();
        JsonNode store = createStore(ownerId, "Outbox Bakery", "FOOD");

        List<Map<String, Object>> rows = outboxRows(store.path("id").asLong());

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("type")).isEqualTo("STORE_UPDATED");
        assertThat(rows.get(0).get("sent_at")).isNull();
        JsonNode payload = json((String) rows.get(0).get("payload"));
        assertThat(payload).isEqualTo(json("{\"storeId\":" + store.path("id").asLong() + ",\"ownerId\":" + ownerId
                + ",\"name\":\"Outbox Bakery\",\"category\":\"FOOD\",\"version\":0}"));
    }

    @Test
    void createWithoutDescriptionThenNullDescription() {
        ApiClient.Response response = api.post(STORES, storeBody("No Words", "OTHER", "Somewhere", "   "),
                owner(newUserId()));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().has("description")).isTrue();
        assertThat(response.json().path("description").isNull()).isTrue();
    }

    @Test
    void createWithUnknownFieldsThenIgnored() {
        Map<String, Object> body = storeBody("Extra Fields", "BEAUTY", "Somewhere", null);
        body.put("ownerId", 1);
        body.put("id", 42);
        body.put("status", "DELETED");
        body.put("rating", 5);
        long ownerId = newUserId();

        ApiClient.Response response = api.post(STORES, body, owner(ownerId));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().path("ownerId").asLong()).isEqualTo(ownerId);
        assertThat(response.json().path("id").asLong()).isNotEqualTo(42);
        assertThat(api.get(STORES + "/" + response.json().path("id").asLong()).status()).isEqualTo(200);
    }

    @Test
    void createWhenShopperOrAdminThenForbidden() {
        Map<String, Object> body = storeBody("Not Mine", "FOOD", "Somewhere", null);

        assertProblem(api.post(STORES, body, as(newUserId(), "SHOPPER")), 403, "FORBIDDEN", STORES);
        assertProblem(api.post(STORES, body, as(newUserId(), "ADMIN")), 403, "FORBIDDEN", STORES);
    }

    @Test
    void createWhenShopperWithInvalidBodyThenForbiddenFirst() {
        assertProblem(api.post(STORES, Map.of(), as(newUserId(), "SHOPPER")), 403, "FORBIDDEN", STORES);
    }

    @Test
    void createWithoutIdentityThenUnauthorized() {
        Map<String, Object> body = storeBody("Anonymous", "FOOD", "Somewhere", null);

        assertProblem(api.post(STORES, body), 401, "UNAUTHORIZED", STORES);
        assertProblem(api.post(STORES, body, "X-User-Id", "7"), 401, "UNAUTHORIZED", STORES);
        assertProblem(api.post(STORES, body, "X-User-Role", "OWNER"), 401, "UNAUTHORIZED", STORES);
        assertProblem(api.post(STORES, body, as(0, "OWNER")), 401, "UNAUTHORIZED", STORES);
        assertProblem(api.post(STORES, body, "X-User-Id", "abc", "X-User-Role", "OWNER"), 401, "UNAUTHORIZED", STORES);
        assertProblem(api.post(STORES, body, as(7, "KING")), 401, "UNAUTHORIZED", STORES);
    }

    @Test
    void createWithMissingFieldsThenValidationFailedNamingEach() {
        JsonNode problem = assertProblem(api.post(STORES, Map.of(), owner(newUserId())), 400, "VALIDATION_FAILED",
                STORES);

        assertThat(errorFields(problem)).containsExactlyInAnyOrder("address", "category", "name");
    }

    @Test
    void createWithBlankOrTooLongFieldsThenValidationFailedNamingEach() {
        Map<String, Object> body = storeBody("   ", "CAFE", "a".repeat(201), "d".repeat(1001));

        JsonNode problem = assertProblem(api.post(STORES, body, owner(newUserId())), 400, "VALIDATION_FAILED", STORES);

        assertThat(errorFields(problem)).containsExactlyInAnyOrder("name", "address", "description");
    }

    @Test
    void createWithNameOf101CharactersThenValidationFailed() {
        JsonNode problem = assertProblem(api.post(STORES, storeBody("n".repeat(101), "CAFE", "Somewhere", null),
                owner(newUserId())), 400, "VALIDATION_FAILED", STORES);

        assertThat(errorFields(problem)).containsExactly("name");
    }

    @Test
    void createWithLongestFieldsInKoreanAndEmojiThenCreated() {
        String name = "카".repeat(50) + "😀".repeat(50); // 100 characters, 150 UTF-16 units
        Map<String, Object> body = storeBody(name, "CAFE", "서".repeat(200), "설".repeat(1000));

        ApiClient.Response response = api.post(STORES, body, owner(newUserId()));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(api.get(STORES + "/" + response.json().path("id").asLong()).json().path("name").asText())
                .isEqualTo(name);
    }

    @Test
    void createWithUnknownCategoryThenValidationFailedListingTheCategories() {
        JsonNode problem = assertProblem(api.post(STORES, storeBody("Shoes", "SHOES", "Somewhere", null),
                owner(newUserId())), 400, "VALIDATION_FAILED", STORES);

        assertThat(errorFields(problem)).containsExactly("category");
        assertThat(problem.path("errors").get(0).path("message").asText())
                .isEqualTo("must be one of FOOD, CAFE, BEAUTY, FASHION, LIFESTYLE, ENTERTAINMENT, OTHER");
    }

    @Test
    void createTwiceThenTwoStoresNewestWithLargerId() {
        long ownerId = newUserId();
        long first = createStore(ownerId, "First", "FOOD").path("id").asLong();
        long second = createStore(ownerId, "Second", "FOOD").path("id").asLong();

        assertThat(second).isGreaterThan(first);
        assertThat(Instant.parse(api.get(STORES + "/" + second).json().path("createdAt").asText()))
                .isAfterOrEqualTo(Instant.parse(api.get(STORES + "/" + first).json().path("createdAt").asText()));
    }

    private static JsonNode json(String text) {
        try {
            return ApiClient.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
