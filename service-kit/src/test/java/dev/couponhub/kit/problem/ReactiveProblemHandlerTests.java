package dev.couponhub.kit.problem;

import java.util.List;

import dev.couponhub.kit.caller.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The WebFlux handler answers the same failures with the same problems as the servlet one. */
class ReactiveProblemHandlerTests {

    enum Domain implements ProblemCode {
        STORE_NOT_FOUND;

        @Override
        public HttpStatus status() {
            return HttpStatus.NOT_FOUND;
        }
    }

    record Body(@NotBlank String name) {
    }

    @RestController
    static class Endpoints {

        @GetMapping("/caller")
        String caller(@RequestHeader(name = "X-User-Id", required = false) String id,
                      @RequestHeader(name = "X-User-Role", required = false) String role) {
            return Long.toString(Caller.fromHeaders(id, role).userId());
        }

        @GetMapping("/store")
        String store() {
            throw new ApiException(Domain.STORE_NOT_FOUND, "Store 9 does not exist.");
        }

        @GetMapping("/invalid")
        String invalid() {
            throw ApiException.invalid(List.of(new FieldViolation("size", "must be at most 100")));
        }

        @GetMapping("/database-down")
        String databaseDown() {
            throw new CannotCreateTransactionException("Could not open connection to 10.0.0.7");
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("secret internal detail");
        }

        @GetMapping("/number")
        String number(@RequestParam int size) {
            return Integer.toString(size);
        }

        @PostMapping("/body")
        String body(@Valid @RequestBody Body body) {
            return body.name();
        }
    }

    private final WebTestClient client = WebTestClient.bindToController(new Endpoints())
            .controllerAdvice(new ReactiveProblemHandler())
            .build();

    @Test
    void apiExceptionThenItsCodeTypeTitleAndInstance() {
        client.get().uri("/store").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("STORE_NOT_FOUND")
                .jsonPath("$.type").isEqualTo("https://couponhub.dev/problems/store-not-found")
                .jsonPath("$.title").isEqualTo("Store not found")
                .jsonPath("$.detail").isEqualTo("Store 9 does not exist.")
                .jsonPath("$.instance").isEqualTo("/store");
    }

    @Test
    void missingIdentityThenUnauthorized() {
        client.get().uri("/caller").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("UNAUTHORIZED");
    }

    @Test
    void apiExceptionWithFieldsThenErrorsListed() {
        client.get().uri("/invalid").exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("VALIDATION_FAILED")
                .jsonPath("$.errors[0].field").isEqualTo("size");
    }

    @Test
    void databaseUnreachableThenDependencyUnavailableWithoutDetails() {
        client.get().uri("/database-down").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody()
                .jsonPath("$.code").isEqualTo("DEPENDENCY_UNAVAILABLE")
                .jsonPath("$.detail").value(detail -> org.assertj.core.api.Assertions.assertThat((String) detail)
                        .doesNotContain("10.0.0.7"));
    }

    @Test
    void unexpectedFailureThenInternalErrorWithoutMessage() {
        client.get().uri("/boom").exchange()
                .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
                .expectBody(String.class)
                .value(body -> org.assertj.core.api.Assertions.assertThat(body)
                        .contains("INTERNAL_ERROR").doesNotContain("secret"));
    }

    @Test
    void parameterOfWrongTypeThenValidationFailed() {
        client.get().uri("/number?size=abc").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void invalidBodyThenValidationFailedNamingTheField() {
        client.post().uri("/body").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\" \"}").exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("VALIDATION_FAILED")
                .jsonPath("$.errors[0].field").isEqualTo("name");
    }

    @Test
    void malformedJsonThenValidationFailed() {
        client.post().uri("/body").contentType(MediaType.APPLICATION_JSON).bodyValue("{oops").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void wrongMethodThenMethodNotAllowedProblem() {
        client.delete().uri("/store").exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("METHOD_NOT_ALLOWED");
    }
}
