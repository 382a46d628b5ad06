package dev.couponhub.store;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Every error is problem+json of the same shape, whatever produced it. */
class ProblemDetailIT extends StoreServiceItSupport {

    @Test
    void unknownPathThenNotFoundProblem() {
        assertProblem(api.get("/api/v1/nothing-here"), 404, "NOT_FOUND", "/api/v1/nothing-here");
    }

    @Test
    void nonNumericStoreIdThenNotFoundProblem() {
        assertProblem(api.get(STORES + "/abc"), 404, "NOT_FOUND", STORES + "/abc");
        assertProblem(api.put(STORES + "/abc", storeBody("A", "CAFE", "B", null), owner(newUserId())), 404,
                "NOT_FOUND", STORES + "/abc");
        assertProblem(api.delete(STORES + "/-1", owner(newUserId())), 404, "NOT_FOUND", STORES + "/-1");
    }

    @Test
    void storeIdBeyondLongThenValidationProblemNamingTheId() {
        String path = STORES + "/99999999999999999999";

        JsonNode problem = assertProblem(api.get(path), 400, "VALIDATION_FAILED", path);

        assertThat(errorFields(problem)).containsExactly("id");
    }

    @Test
    void wrongMethodThenMethodNotAllowedProblem() {
        ApiClient.Response response = api.send("PATCH", STORES, "{}", owner(newUserId()));

        assertProblem(response, 405, "METHOD_NOT_ALLOWED", STORES);
        assertThat(response.header("Allow")).contains("GET").contains("POST");
    }

    @Test
    void malformedJsonThenValidationFailed() {
        ApiClient.Response response = api.send("POST", STORES, "{\"name\": ", owner(newUserId()));

        assertProblem(response, 400, "VALIDATION_FAILED", STORES);
    }

    @Test
    void wrongJsonTypeThenValidationFailedNamingTheField() {
        ApiClient.Response response = api.send("POST", STORES,
                "{\"name\": {\"x\": 1}, \"category\": \"CAFE\", \"address\": \"a\"}", owner(newUserId()));

        JsonNode problem = assertProblem(response, 400, "VALIDATION_FAILED", STORES);
        assertThat(errorFields(problem)).containsExactly("name");
    }

    @Test
    void unsupportedMediaTypeThenProblem() {
        ApiClient.Response response = api.send("POST", STORES, null, "Content-Type", "text/plain",
                "X-User-Id", "5", "X-User-Role", "OWNER");

        assertProblem(response, 415, "UNSUPPORTED_MEDIA_TYPE", STORES);
    }
}
