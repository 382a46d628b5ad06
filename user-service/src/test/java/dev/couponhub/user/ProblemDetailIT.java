package dev.couponhub.user;

import dev.couponhub.testsupport.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The problem+json shape on each kind of failure. */
class ProblemDetailIT extends UserServiceItSupport {

    @Test
    void validationFailureThenProblemWithErrors() {
        var problem = assertProblem(api.post("/api/v1/auth/signup", Map.of("email", "x")), 400, "VALIDATION_FAILED",
                "/api/v1/auth/signup");

        assertThat(problem.get("errors").isArray()).isTrue();
        assertThat(problem.get("title").asText()).isEqualTo("Validation failed");
    }

    @Test
    void malformedJsonThenValidationFailed() {
        assertProblem(api.send("POST", "/api/v1/auth/login", "not json"), 400, "VALIDATION_FAILED", "/api/v1/auth/login");
    }

    @Test
    void wrongJsonTypeThenValidationFailedNamingTheField() {
        var problem = assertProblem(api.send("POST", "/api/v1/auth/login", "{\"email\": {\"a\": 1}, \"password\": \"x\"}"),
                400, "VALIDATION_FAILED", "/api/v1/auth/login");

        assertThat(errorFields(problem)).containsExactly("email");
    }

    @Test
    void unauthorizedThenProblem() {
        assertProblem(api.get("/api/v1/users/me"), 401, "UNAUTHORIZED", "/api/v1/users/me");
    }

    @Test
    void unknownPathThenNotFoundProblem() {
        assertProblem(api.get("/api/v1/nothing-here"), 404, "NOT_FOUND", "/api/v1/nothing-here");
    }

    @Test
    void conflictThenProblem() {
        String email = uniqueEmail("conflict");
        signUpShopper(email);

        var problem = assertProblem(signUp(email, PASSWORD, "Again", "SHOPPER"), 409, "EMAIL_TAKEN",
                "/api/v1/auth/signup");

        assertThat(problem.has("errors")).isFalse();
    }

    @Test
    void wrongMethodThenMethodNotAllowedProblem() {
        ApiClient.Response response = api.get("/api/v1/auth/login");

        assertProblem(response, 405, "METHOD_NOT_ALLOWED", "/api/v1/auth/login");
        assertThat(response.header("Allow")).contains("POST");
    }

    @Test
    void unsupportedContentTypeThenProblem() {
        ApiClient.Response response = api.send("POST", "/api/v1/auth/login", null, "Content-Type", "text/plain");

        assertProblem(response, 415, "UNSUPPORTED_MEDIA_TYPE", "/api/v1/auth/login");
    }

    @Test
    void clientAcceptingOnlyJsonThenStillProblemJson() {
        ApiClient.Response response = api.get("/api/v1/users/me", "Accept", "application/json");

        assertProblem(response, 401, "UNAUTHORIZED", "/api/v1/users/me");
    }
}
