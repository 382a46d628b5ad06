package dev.couponhub.ai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.ProblemAssertions;

/** Assertions on problem+json answers. */
final class Problems {

    private Problems() {
    }

    static JsonNode assertProblem(ApiClient.Response response, int status, String code, String path) {
        return ProblemAssertions.assertProblem(response, status, code, path);
    }

    static String[] as(long userId, String role) {
        return new String[] {"X-User-Id", Long.toString(userId), "X-User-Role", role};
    }
}
