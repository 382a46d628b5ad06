package dev.couponhub.kit.problem;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

import dev.couponhub.kit.caller.Caller;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.UncategorizedDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

class ServletProblemHandlerTests {

    /** A service's own codes, as a service declares them. */
    enum Domain implements ProblemCode {
        EMAIL_TAKEN;

        @Override
        public HttpStatus status() {
            return HttpStatus.CONFLICT;
        }
    }

    record Body(@NotBlank String first, @Size(max = 2) String second) {
    }

    @RestController
    static class Endpoints {

        @GetMapping("/caller")
        String caller(Caller caller) {
            return Long.toString(caller.userId());
        }

        @GetMapping("/conflict")
        String conflict() {
            throw new ApiException(Domain.EMAIL_TAKEN, "taken");
        }

        @GetMapping("/redis-down")
        String redisDown() {
            throw new DataAccessResourceFailureException("Unable to connect to 10.0.0.7:6379");
        }

        @GetMapping("/redis-dropped")
        String redisDropped() {
            // what Spring Data Redis throws when Redis goes away under a command (Lettuce: "Connection reset by peer")
            throw new UncategorizedDataAccessException("Error in execution",
                    new RuntimeException("java.io.IOException: Connection reset by peer",
                            new java.io.IOException("Connection reset by peer"))) { };
        }

        @GetMapping("/rollback-on-closed-connection")
        String rollbackOnClosedConnection() {
            // a JPA rollback after the driver closed the connection on its socket time-out (MariaDB paused)
            throw new org.springframework.orm.jpa.JpaSystemException(new RuntimeException("Unable to rollback",
                    new java.sql.SQLNonTransientConnectionException("No operations allowed after connection closed.",
                            "08003")));
        }

        @GetMapping("/rollback-on-pool-closed-connection")
        String rollbackOnPoolClosedConnection() {
            // the same, when the pool (HikariCP) closed the connection first: its exception has no SQLState
            throw new org.springframework.orm.jpa.JpaSystemException(new RuntimeException(
                    "Unable to rollback against JDBC Connection", new java.sql.SQLException("Connection is closed")));
        }

        @GetMapping("/commit-failed")
        String commitFailed() {
            throw new org.springframework.transaction.TransactionSystemException("Could not commit JDBC transaction",
                    new java.sql.SQLException("Communications link failure", "08S01"));
        }

        @GetMapping("/redis-refused")
        String redisRefused() {
            throw new UncategorizedDataAccessException("Error in execution",
                    new RuntimeException("WRONGTYPE Operation against a key holding the wrong kind of value")) { };
        }

        @GetMapping("/invalid")
        String invalid() {
            throw ApiException.invalid(List.of(new FieldViolation("Idempotency-Key", "must be 1 to 100 characters")));
        }

        @GetMapping("/number")
        String number(@org.springframework.web.bind.annotation.RequestParam int size) {
            return Integer.toString(size);
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("secret internal detail");
        }

        @GetMapping("/database-down")
        String databaseDown() {
            throw new CannotCreateTransactionException("Could not open JPA EntityManager for transaction");
        }

        @PostMapping("/body")
        String body(@Valid @RequestBody Body body) {
            return "ok";
        }
    }

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Endpoints())
            .setControllerAdvice(new ServletProblemHandler())
            .setCustomArgumentResolvers(new HandlerMethodArgumentResolver() {
                @Override
                public boolean supportsParameter(org.springframework.core.MethodParameter parameter) {
                    return parameter.getParameterType() == Caller.class;
                }

                @Override
                public Object resolveArgument(org.springframework.core.MethodParameter parameter,
                        org.springframework.web.method.support.ModelAndViewContainer container,
                        org.springframework.web.context.request.NativeWebRequest request,
                        org.springframework.web.bind.support.WebDataBinderFactory binders) {
                    return Caller.fromHeaders(request.getHeader("X-User-Id"), request.getHeader("X-User-Role"));
                }
            })
            .build();

    @Test
    void callerHeaderPresentThenResolved() throws Exception {
        mvc.perform(get("/caller").header("X-User-Id", "12").header("X-User-Role", "SHOPPER"))
                .andExpect(status().isOk()).andExpect(content().string("12"));
    }

    @Test
    void callerHeaderMissingThenUnauthorizedProblem() throws Exception {
        mvc.perform(get("/caller"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("UNAUTHORIZED"))
                .andExpect(jsonPath("$.type").value("https://couponhub.dev/problems/unauthorized"))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.title").value("Unauthorized"))
                .andExpect(jsonPath("$.instance").value("/caller"));
    }

    @Test
    void apiExceptionThenItsCodeStatusAndDetail() throws Exception {
        mvc.perform(get("/conflict"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("EMAIL_TAKEN"))
                .andExpect(jsonPath("$.type").value("https://couponhub.dev/problems/email-taken"))
                .andExpect(jsonPath("$.detail").value("taken"))
                .andExpect(jsonPath("$.instance").value("/conflict"));
    }

    @Test
    void unexpectedExceptionThenGenericInternalErrorWithoutItsMessage() throws Exception {
        mvc.perform(get("/boom"))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("INTERNAL_ERROR"))
                .andExpect(jsonPath("$.type").value("https://couponhub.dev/problems/internal-error"))
                .andExpect(jsonPath("$.instance").value("/boom"))
                .andExpect(content().string(not(containsString("secret internal detail"))))
                .andExpect(content().string(not(containsString("IllegalStateException"))))
                .andExpect(content().string(not(containsString("trace"))));
    }

    @Test
    void databaseUnreachableThenDependencyUnavailable() throws Exception {
        mvc.perform(get("/database-down"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("DEPENDENCY_UNAVAILABLE"))
                .andExpect(jsonPath("$.type").value("https://couponhub.dev/problems/dependency-unavailable"))
                .andExpect(content().string(not(containsString("EntityManager"))));
    }

    @Test
    void invalidFieldsThenValidationFailedListingEachField() throws Exception {
        mvc.perform(post("/body").contentType(MediaType.APPLICATION_JSON).content("{\"second\":\"abc\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.type").value("https://couponhub.dev/problems/validation-failed"))
                .andExpect(jsonPath("$.errors.length()").value(2))
                .andExpect(jsonPath("$.errors[0].field").value("first"))
                .andExpect(jsonPath("$.errors[0].message").isNotEmpty())
                .andExpect(jsonPath("$.errors[1].field").value("second"));
    }

    @Test
    void malformedJsonThenValidationFailed() throws Exception {
        mvc.perform(post("/body").contentType(MediaType.APPLICATION_JSON).content("{oops"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors").isArray());
    }

    @Test
    void wrongMethodThenMethodNotAllowedProblemWithAllow() throws Exception {
        mvc.perform(post("/conflict"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(header().string("Allow", containsString("GET")))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("METHOD_NOT_ALLOWED"))
                .andExpect(jsonPath("$.type").value("https://couponhub.dev/problems/method-not-allowed"))
                .andExpect(jsonPath("$.instance").value("/conflict"));
    }

    @Test
    void redisUnreachableThenDependencyUnavailableWithoutDetails() throws Exception {
        mvc.perform(get("/redis-down"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("DEPENDENCY_UNAVAILABLE"))
                .andExpect(jsonPath("$.instance").value("/redis-down"))
                .andExpect(content().string(not(containsString("10.0.0.7"))));
    }

    @Test
    void dataStoreDroppedTheConnectionUnderACommandThen503AndARefusedCommandStays500() throws Exception {
        mvc.perform(get("/redis-dropped"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.code").value("DEPENDENCY_UNAVAILABLE"))
                .andExpect(content().string(not(containsString("reset"))));
        mvc.perform(get("/rollback-on-closed-connection"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.code").value("DEPENDENCY_UNAVAILABLE"));
        mvc.perform(get("/rollback-on-pool-closed-connection"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.code").value("DEPENDENCY_UNAVAILABLE"));
        mvc.perform(get("/commit-failed"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.code").value("DEPENDENCY_UNAVAILABLE"));
        mvc.perform(get("/redis-refused"))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.code").value("INTERNAL_ERROR"));
    }

    @Test
    void apiExceptionWithFieldsThenErrorsListedInOrder() throws Exception {
        mvc.perform(get("/invalid"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.title").value("Validation failed"))
                .andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"))
                .andExpect(jsonPath("$.errors[0].message").value("must be 1 to 100 characters"));
    }

    @Test
    void parameterOfWrongTypeThenValidationFailedNamingIt() throws Exception {
        mvc.perform(get("/number").param("size", "abc"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors[0].field").value("size"))
                .andExpect(jsonPath("$.errors[0].message").value("must be a whole number"));
    }
}
