package dev.couponhub.gateway;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import dev.couponhub.gateway.testing.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests beyond the gateway's protocol limits are answered with a problem like every other refusal: a request line
 * over Netty's 4 KB (414), headers over 8 KB together (431), a request that is not HTTP (400) and a body over 1 MB,
 * announced or chunked (413). The first three are answered by the HTTP decoder itself, before any filter; none of
 * them reaches a service.
 */
class ProtocolLimitsIT extends GatewayItSupport {

    private static final int MAX_BODY = 1024 * 1024;

    @Test
    void requestLineOverTheLimitThen414Problem() {
        String path = "/api/v1/coupons/" + "a".repeat(5000);

        RawHttp.Response response = RawHttp.get(port, path);

        assertDecoderProblem(response, 414, "URI_TOO_LONG", "uri");
        assertThat(BACKEND.receivedPaths()).noneMatch(received -> received.startsWith(path.substring(0, 30)));
    }

    @Test
    void headersOverTheLimitThen431Problem() {
        RawHttp.Response response = RawHttp.send(port, "GET /api/v1/coupons/431 HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + "x".repeat(9000) + "\r\nConnection: close\r\n\r\n", new byte[0]);

        assertDecoderProblem(response, 431, "REQUEST_HEADER_FIELDS_TOO_LARGE", "headers");
        assertThat(BACKEND.receivedPaths()).doesNotContain("/api/v1/coupons/431");
    }

    @Test
    void notHttpThen400Problem() {
        RawHttp.Response response = RawHttp.send(port, "HELLO THERE\r\n\r\n", new byte[0]);

        assertDecoderProblem(response, 400, "VALIDATION_FAILED", "request");
    }

    @Test
    void announcedBodyOverTheLimitThen413ProblemBeforeTheBodyIsRead() {
        String path = "/api/v1/auth/big-" + UUID.randomUUID();

        RawHttp.Response response = RawHttp.send(port, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n",
                "{\"a\":1".getBytes(StandardCharsets.US_ASCII));

        assertBodyProblem(response);
        assertThat(BACKEND.receivedPaths()).doesNotContain(path);
    }

    @Test
    void chunkedBodyOverTheLimitThen413ProblemAndNothingRouted() {
        String path = "/api/v1/auth/chunked-" + UUID.randomUUID();

        RawHttp.Response response = RawHttp.send(port, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                chunked(MAX_BODY + 10, 64 * 1024));

        assertBodyProblem(response);
        assertThat(BACKEND.receivedPaths()).doesNotContain(path);
    }

    @Test
    void chunkedBodyWithinTheLimitThenPassedOnWholeWithItsLength() throws Exception {
        String path = "/api/v1/auth/chunked-" + UUID.randomUUID();
        int size = 300_000;

        RawHttp.Response response = RawHttp.send(port, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                chunked(size, 10_000));

        assertThat(response.status()).isEqualTo(200);
        JsonNode echo = JSON.readTree(response.body());
        assertThat(echo.path("path").asText()).isEqualTo(path);
        assertThat(echo.path("bodyLength").asInt()).isEqualTo(size);
        assertThat(echo.path("headers").path("content-length").get(0).asText()).isEqualTo(Integer.toString(size));
        assertThat(echo.path("headers").has("transfer-encoding")).isFalse();
    }

    private static void assertDecoderProblem(RawHttp.Response response, int status, String code, String field) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(response.header("Content-Length"))
                .isEqualTo(Integer.toString(response.body().getBytes(StandardCharsets.UTF_8).length));
        JsonNode problem = parse(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("code").asText()).isEqualTo(code);
        assertThat(problem.path("type").asText())
                .isEqualTo("https://couponhub.dev/problems/" + code.toLowerCase().replace('_', '-'));
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo(field);
    }

    private static void assertBodyProblem(RawHttp.Response response) {
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.header("Content-Type")).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JsonNode problem = parse(response.body());
        assertThat(problem.path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(problem.path("detail").asText()).contains(Integer.toString(MAX_BODY));
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("body");
    }

    /** {@code size} bytes of a JSON string, in chunks of at most {@code chunk} bytes, with the last chunk. */
    private static byte[] chunked(int size, int chunk) {
        StringBuilder body = new StringBuilder();
        for (int sent = 0; sent < size; sent += chunk) {
            int n = Math.min(chunk, size - sent);
            body.append(Integer.toHexString(n)).append("\r\n").append("x".repeat(n)).append("\r\n");
        }
        return body.append("0\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        }
        catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
