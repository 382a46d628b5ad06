package dev.couponhub.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import dev.couponhub.gateway.testing.TestBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert stream reaches notification-service over h2c, many streams on one connection: a gateway instance started
 * here with {@code couponhub.gateway.services.notification-stream-h2c} (the default; the other ITs' backend speaks
 * HTTP/1.1 only) in front of an h2c-only backend that echoes each stream's user. A hundred shoppers' streams arrive
 * whole and in order, each with its own user's events, over far fewer backend connections than streams, and the
 * client sees none of HTTP/2's own headers. In front of a backend that speaks HTTP/1.1 only (an older
 * notification-service during a deploy or a rollback), the streams go over HTTP/1.1.
 */
class H2cStreamIT extends GatewayItSupport {

    private static final int STREAMS = 100;
    private static final int EVENTS = 3;

    /** Each stream the backend served: its HTTP version, user and connection (the stream's parent channel). */
    private static final List<Served> served = new CopyOnWriteArrayList<>();

    private record Served(String version, long userId, String connection) {
    }

    private static DisposableServer h2cBackend;
    private static ConfigurableApplicationContext gateway;

    @BeforeAll
    static void startH2cBackendAndGateway() {
        h2cBackend = HttpServer.create().host("127.0.0.1").port(0).protocol(HttpProtocol.H2C)
                .route(routes -> routes.get("/api/v1/notifications/stream", (request, response) -> {
                    String user = request.requestHeaders().get("X-User-Id");
                    request.withConnection(stream -> served.add(new Served(request.version().text(),
                            Long.parseLong(user), stream.channel().parent() == null ? "none"
                                    : stream.channel().parent().id().asLongText())));
                    return response.header(HttpHeaders.CONTENT_TYPE, MediaType.TEXT_EVENT_STREAM_VALUE)
                            .sendString(Flux.interval(Duration.ofMillis(300)).take(EVENTS)
                                    .map(n -> "event: TEST\nid: " + n + "\ndata: " + user + "/" + n + "\n\n"));
                }))
                .bindNow();
        gateway = startInstance(Map.of(
                "couponhub.gateway.services.notification", "http://127.0.0.1:" + h2cBackend.port(),
                "couponhub.gateway.services.notification-stream-h2c", true));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (h2cBackend != null) {
            h2cBackend.disposeNow();
        }
    }

    @Test
    void manyStreamsThenEachWholeInOrderOverFewH2cConnections() {
        WebClient client = streamClientOf(gateway);
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            users.add(newUserId());
        }
        // the first stream opens the connection; the others then find it open
        List<String> first = stream(client, users.get(0)).collectList().block(Duration.ofSeconds(20));
        List<List<String>> others = Flux.fromIterable(users.subList(1, STREAMS))
                .flatMap(user -> stream(client, user).collectList(), STREAMS)
                .collectList().block(Duration.ofSeconds(20));

        List<List<String>> all = new ArrayList<>();
        all.add(first);
        all.addAll(others);
        for (List<String> events : all) {
            assertThat(events).hasSize(EVENTS);
            String user = events.get(0).substring(0, events.get(0).indexOf('/'));
            assertThat(events).containsExactly(user + "/0", user + "/1", user + "/2");
        }
        assertThat(all).extracting(events -> events.get(0).substring(0, events.get(0).indexOf('/')))
                .containsExactlyInAnyOrderElementsOf(users.stream().map(String::valueOf).toList());
        List<Served> ours = served.stream().filter(stream -> users.contains(stream.userId())).toList();
        assertThat(ours).hasSize(STREAMS).extracting(Served::version).containsOnly("HTTP/2.0");
        assertThat(ours.stream().map(Served::connection).distinct().count())
                .as("backend connections for %d streams (HTTP/1.1 takes one each)", STREAMS)
                .isBetween(1L, STREAMS / 4L);
    }

    @Test
    void streamOverH2cThenClientSeesAnEventStreamWithoutHttp2Headers() {
        WebClient client = streamClientOf(gateway);
        HttpHeaders headers = client.get().uri("/api/v1/notifications/stream")
                .header(HttpHeaders.AUTHORIZATION, bearer(KEY.token(newUserId(), "SHOPPER")))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchangeToMono(response -> response.bodyToMono(String.class)
                        .then(Mono.just(response.headers().asHttpHeaders())))
                .block(Duration.ofSeconds(20));

        assertThat(headers.getContentType()).isNotNull();
        assertThat(headers.getContentType().isCompatibleWith(MediaType.TEXT_EVENT_STREAM)).isTrue();
        assertThat(headers.keySet()).noneMatch(name -> name.toLowerCase().startsWith("x-http2-"));
    }

    @Test
    void notificationServiceSpeaksHttp11OnlyThenStreamsGoOverHttp11() {
        // the ITs' shared backend speaks HTTP/1.1 only, as notification-service did before it accepted h2c
        try (ConfigurableApplicationContext beforeH2c = startInstance(Map.of(
                "couponhub.gateway.services.notification-stream-h2c", true))) {
            WebClient client = streamClientOf(beforeH2c);
            for (int attempt = 0; attempt < 2; attempt++) { // the h2c attempt that fails, then HTTP/1.1 at once
                List<ServerSentEvent<String>> events = client.get().uri("/api/v1/notifications/stream")
                        .header(HttpHeaders.AUTHORIZATION, bearer(KEY.token(newUserId(), "SHOPPER")))
                        .accept(MediaType.TEXT_EVENT_STREAM)
                        .retrieve()
                        .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                        .collectList().block(Duration.ofSeconds(20));
                assertThat(events).hasSize(TestBackend.STREAM_EVENTS);
                assertThat(events).extracting(ServerSentEvent::event).containsOnly("TEST");
            }
        }
    }

    /** A plain client of a gateway instance started here, for reading event streams as they arrive. */
    private static WebClient streamClientOf(ConfigurableApplicationContext instance) {
        int port = ((WebServerApplicationContext) instance).getWebServer().getPort();
        return WebClient.create("http://127.0.0.1:" + port);
    }

    private static Flux<String> stream(WebClient client, long userId) {
        return client.get().uri("/api/v1/notifications/stream")
                .header(HttpHeaders.AUTHORIZATION, bearer(KEY.token(userId, "SHOPPER")))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .map(ServerSentEvent::data);
    }
}
