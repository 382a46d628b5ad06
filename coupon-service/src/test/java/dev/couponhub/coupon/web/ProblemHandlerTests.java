package dev.couponhub.coupon.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Problem answers for failures that the controllers do not handle themselves. */
class ProblemHandlerTests {

    @RestController
    static class Failing {

        @GetMapping("/redis-down")
        String redisDown() {
            throw new RedisConnectionFailureException("Unable to connect to 10.0.0.7:6379");
        }

        @GetMapping("/bug")
        String bug() {
            throw new IllegalStateException("secret internal detail");
        }

        @GetMapping("/invalid")
        String invalid() {
            throw ApiException.invalid(List.of(new FieldViolation("Idempotency-Key", "must be 1 to 100 characters")));
        }
    }

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Failing())
            .setControllerAdvice(new ProblemHandler()).build();

    @Test
    void dataStoreUnreachableThenDependencyUnavailableWithoutDetails() throws Exception {
        mvc.perform(get("/redis-down"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("DEPENDENCY_UNAVAILABLE"))
                .andExpect(jsonPath("$.type").value("https://couponhub.dev/problems/dependency-unavailable"))
                .andExpect(jsonPath("$.instance").value("/redis-down"))
                .andExpect(content().string(Matchers.not(Matchers.containsString("10.0.0.7"))));
    }

    @Test
    void unexpectedFailureThenInternalErrorWithoutMessage() throws Exception {
        mvc.perform(get("/bug"))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.code").value("INTERNAL_ERROR"))
                .andExpect(content().string(Matchers.not(Matchers.containsString("secret"))));
    }

    @Test
    void invalidFieldsThenErrorsListed() throws Exception {
        mvc.perform(get("/invalid"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_FAILED"))
                .andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"))
                .andExpect(jsonPath("$.errors[0].message").value("must be 1 to 100 characters"));
    }
}
