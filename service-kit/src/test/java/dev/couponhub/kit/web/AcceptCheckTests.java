package dev.couponhub.kit.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import dev.couponhub.kit.problem.ProblemAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A servlet service refuses a request whose {@code Accept} admits nothing its handler answers with 406 before the
 * handler runs: the write it asked for is never carried out. Requests that accept JSON, anything, or say nothing run.
 */
@SpringBootTest(classes = AcceptCheckTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.main.banner-mode=off")
class AcceptCheckTests {

    record Item(long id) {
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({ServletWebServerFactoryAutoConfiguration.class,
            DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, JacksonAutoConfiguration.class,
            HttpMessageConvertersAutoConfiguration.class, ProblemAutoConfiguration.class,
            AcceptCheckAutoConfiguration.class})
    @RestController
    static class App {

        static final AtomicInteger WRITES = new AtomicInteger();

        @PostMapping("/items")
        Item create() {
            return new Item(WRITES.incrementAndGet());
        }

        @GetMapping(path = "/report", produces = "text/csv")
        String report() {
            return "id\n1\n";
        }
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void reset() {
        App.WRITES.set(0);
    }

    @Test
    void acceptAdmitsNoJsonThen406ProblemAndTheHandlerNeverRan() throws Exception {
        for (String accept : new String[] {"application/xml", "text/html", "image/*", "not a media type"}) {
            HttpResponse<String> answer = post("/items", accept);

            assertThat(answer.statusCode()).as(accept).isEqualTo(406);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(answer.body()).contains("\"code\":\"NOT_ACCEPTABLE\"");
        }
        assertThat(App.WRITES).hasValue(0);
    }

    @Test
    void acceptAdmitsJsonOrSaysNothingThenTheHandlerRuns() throws Exception {
        for (String accept : new String[] {"application/json", "*/*", "application/*", "text/html, application/json;q=0.1",
                null}) {
            assertThat(post("/items", accept).statusCode()).as(String.valueOf(accept)).isEqualTo(200);
        }
        assertThat(App.WRITES).hasValue(5);
    }

    @Test
    void handlerNamingItsOwnTypeThenJudgedByIt() throws Exception {
        assertThat(get("/report", "text/csv").statusCode()).isEqualTo(200);
        assertThat(get("/report", "application/json").statusCode()).isEqualTo(406);
    }

    private HttpResponse<String> post(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", accept)
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
