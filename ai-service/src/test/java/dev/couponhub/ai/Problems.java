package dev.couponhub.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.testsupport.ApiClient;
import org.springframework.http.MediaType;

/** Assertions on problem+json answers. */
final class Problems {

    private Problems() {
    }

    static JsonNode assertProblem(ApiClient.Response response, int status, String code, String path) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(MediaType.parseMediaType(response.contentType())).as(response.toString())
                .matches(type -> type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        JsonNode body = response.json();
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("type").asText())
                .isEqualTo("https://couponhub.dev/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-'));
        assertThat(body.path("title").asText()).isNotBlank();
        assertThat(body.path("detail").asText()).isNotBlank();
        assertThat(body.path("instance").asText()).isEqualTo(path);
        assertThat(response.body()).doesNotContain("\"trace\"").doesNotContain("Exception")
                .doesNotContain("at dev.couponhub").doesNotContain("java.");
        return body;
    }

    static String[] as(long userId, String role) {
        return new String[] {"X-User-Id", Long.toString(userId), "X-User-Role", role};
    }
}
