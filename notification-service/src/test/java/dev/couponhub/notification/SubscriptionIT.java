package dev.couponhub.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.ApiClient;
import org.junit.jupiter.api.Test;

class SubscriptionIT extends NotificationItSupport {

    @Test
    void subscribeThenCreatedAndAgainThenOkWithTheSameBody() {
        long user = newUserId();
        long storeId = stores.addStore("준커피 " + token());

        ApiClient.Response first = api.post(SUBSCRIPTIONS, Map.of("storeId", storeId), as(user));
        ApiClient.Response again = api.post(SUBSCRIPTIONS, Map.of("storeId", storeId), as(user));

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.json().path("storeId").asLong()).isEqualTo(storeId);
        assertThat(first.json().path("storeName").asText()).startsWith("준커피 ");
        assertThat(first.json().path("createdAt").asText()).isNotBlank();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
    }

    @Test
    void subscribeWhenStoreUnknownOrDeletedThenStoreNotFound() {
        long user = newUserId();
        assertProblem(api.post(SUBSCRIPTIONS, Map.of("storeId", 987_654_321_987L), as(user)), 404,
                "STORE_NOT_FOUND", SUBSCRIPTIONS);
        long deleted = stores.addStore("closed " + token());
        stores.delete(deleted);
        assertProblem(api.post(SUBSCRIPTIONS, Map.of("storeId", deleted), as(user)), 404, "STORE_NOT_FOUND",
                SUBSCRIPTIONS);
    }

    @Test
    void subscribeWhenStoreIdMissingOrInvalidThenValidationFailed() {
        long user = newUserId();
        JsonNode missing = assertProblem(api.post(SUBSCRIPTIONS, Map.of(), as(user)), 400, "VALIDATION_FAILED",
                SUBSCRIPTIONS);
        assertThat(missing.path("errors").get(0).path("field").asText()).isEqualTo("storeId");
        assertProblem(api.post(SUBSCRIPTIONS, Map.of("storeId", -3), as(user)), 400, "VALIDATION_FAILED",
                SUBSCRIPTIONS);
        assertProblem(api.send("POST", SUBSCRIPTIONS, "{not json", as(user)), 400, "VALIDATION_FAILED",
                SUBSCRIPTIONS);
    }

    @Test
    void withoutIdentityThenUnauthorized() {
        assertProblem(api.get(SUBSCRIPTIONS), 401, "UNAUTHORIZED", SUBSCRIPTIONS);
        assertProblem(api.get(NOTIFICATIONS), 401, "UNAUTHORIZED", NOTIFICATIONS);
        assertThat(api.get(NOTIFICATIONS + "/stream", "Accept", "text/event-stream").status()).isEqualTo(401);
    }

    @Test
    void listThenNewestFirstWithCurrentStoreNamesAndUnsubscribeIsIdempotent() {
        long user = newUserId();
        long older = subscribe(user, stores.addStore("first " + token()));
        long newer = subscribe(user, stores.addStore("second " + token()));
        stores.rename(older, "renamed first");

        JsonNode list = api.get(SUBSCRIPTIONS, as(user)).json();
        assertThat(list).hasSize(2);
        assertThat(list.get(0).path("storeId").asLong()).isEqualTo(newer);
        assertThat(list.get(1).path("storeId").asLong()).isEqualTo(older);
        assertThat(list.get(1).path("storeName").asText()).isEqualTo("renamed first");

        assertThat(api.delete(SUBSCRIPTIONS + "/" + older, as(user)).status()).isEqualTo(204);
        assertThat(api.delete(SUBSCRIPTIONS + "/" + older, as(user)).status()).isEqualTo(204);
        JsonNode after = api.get(SUBSCRIPTIONS, as(user)).json();
        assertThat(after).hasSize(1);
        assertThat(after.get(0).path("storeId").asLong()).isEqualTo(newer);
        // another user's list is their own
        assertThat(api.get(SUBSCRIPTIONS, as(newUserId())).json()).isEmpty();
    }
}
