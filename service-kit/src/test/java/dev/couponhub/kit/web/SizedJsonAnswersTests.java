package dev.couponhub.kit.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import dev.couponhub.kit.problem.ProblemAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * A servlet service's JSON answers carry their length (no chunked encoding), problem+json included, and a stream of
 * JSON events still streams: each event reaches the client while the stream stays open.
 */
@SpringBootTest(classes = SizedJsonAnswersTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.main.banner-mode=off")
class SizedJsonAnswersTests {

    record Item(long id, String name) {
    }

    /** A servlet service with Boot's web auto-configuration and the kit's (the rest of the kit needs a database). */
    @SpringBootConfiguration
    @ImportAutoConfiguration({ServletWebServerFactoryAutoConfiguration.class,
            DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, JacksonAutoConfiguration.class,
            HttpMessageConvertersAutoConfiguration.class, ProblemAutoConfiguration.class,
            JsonAnswersAutoConfiguration.class})
    @RestController
    static class App {

        static final CountDownLatch RELEASE = new CountDownLatch(1);

        @GetMapping("/item")
        Item item() {
            return new Item(7, "caf\u00e9 \uCFE0\uD3F0");
        }

        @GetMapping("/items")
        List<Item> items() {
            return List.of(new Item(1, "a"), new Item(2, "b"));
        }

        @GetMapping("/refused")
        Item refused() {
            throw new ApiException(StandardProblem.NOT_FOUND, "There is no such item.");
        }

        @GetMapping("/events")
        SseEmitter events() throws Exception {
            SseEmitter emitter = new SseEmitter(10_000L);
            emitter.send(SseEmitter.event().name("item").data(new Item(1, "first")));
            new Thread(() -> {
                try {
                    RELEASE.await(5, TimeUnit.SECONDS);
                    emitter.complete();
                } catch (InterruptedException e) {
                    emitter.completeWithError(e);
                }
            }).start();
            return emitter;
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @LocalServerPort
    int port;

    @Autowired
    RequestMappingHandlerAdapter adapter;

    @AfterEach
    void release() {
        App.RELEASE.countDown();
    }

    @Test
    void everyServiceOfTheKitGetsIt() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
                .contains(JsonAnswersAutoConfiguration.class.getName());
    }

    @Test
    void theServicesJsonConverterIsTheSizedOne() {
        // Boot keeps MVC's default after a replacement; the first that can write JSON is the one MVC uses
        assertThat(adapter.getMessageConverters()).filteredOn(MappingJackson2HttpMessageConverter.class::isInstance)
                .first().isInstanceOf(SizedJsonHttpMessageConverter.class);
    }

    @Test
    void jsonAnswersCarryTheirLengthNotChunks() throws Exception {
        for (String path : List.of("/item", "/items")) {
            HttpResponse<byte[]> answer = get(path);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Transfer-Encoding")).as(path).isEmpty();
            assertThat(answer.headers().firstValueAsLong("Content-Length")).as(path)
                    .hasValue(answer.body().length);
        }
        assertThat(new String(get("/item").body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":7,\"name\":\"caf\u00e9 \uCFE0\uD3F0\"}");
    }

    @Test
    void problemAnswersCarryTheirLengthToo() throws Exception {
        HttpResponse<byte[]> answer = get("/refused");
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(answer.headers().firstValueAsLong("Content-Length")).hasValue(answer.body().length);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("\"code\":\"NOT_FOUND\"");
    }

    @Test
    void aStreamOfJsonEventsStillStreams() throws Exception {
        HttpResponse<InputStream> answer = HTTP.send(HttpRequest.newBuilder(uri("/events"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(answer.headers().firstValue("Content-Length")).isEmpty();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
            // read while the stream is still open: the event was sent as it came, not buffered to the end
            assertThat(lines.readLine()).isEqualTo("event:item");
            assertThat(lines.readLine()).isEqualTo("data:{\"id\":1,\"name\":\"first\"}");
            App.RELEASE.countDown();
        }
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
