package dev.couponhub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** What every error answer of a service must be (docs/api.md, "errors"), for the ITs of every service. */
public final class ProblemAssertions {

    private ProblemAssertions() {
    }

    /**
     * A problem+json answer with the status and code, every member the conventions require ({@code type} derived from
     * the code, {@code title}, {@code detail}, {@code instance} when {@code path} is given), and no stack trace or
     * Java class name in it. Answers the body for further checks.
     */
    public static JsonNode assertProblem(ApiClient.Response response, int status, String code, String path) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        JsonNode body = response.json();
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("type").asText())
                .isEqualTo("https://couponhub.dev/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-'));
        assertThat(body.path("title").asText()).isNotBlank();
        assertThat(body.path("detail").asText()).isNotBlank();
        if (path != null) {
            assertThat(body.path("instance").asText()).isEqualTo(path);
        }
        assertThat(response.body()).doesNotContain("\"trace\"").doesNotContain("Exception")
                .doesNotContain("at dev.couponhub").doesNotContain("at org.springframework").doesNotContain("java.");
        return body;
    }
}
