package dev.couponhub.gateway.edge;

import java.net.InetSocketAddress;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import dev.couponhub.gateway.auth.CallerIdentity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access log: exactly one line per request with what operators need and never the query string; and no work at
 * all (no line, no reactive operator around the request) while the logger is off.
 */
class AccessLogFilterTests {

    private final Logger accessLogger = (Logger) LoggerFactory.getLogger("dev.couponhub.gateway.access");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AccessLogFilter filter = new AccessLogFilter();
    private Level previousLevel;

    @BeforeEach
    void captureTheAccessLog() {
        previousLevel = accessLogger.getLevel();
        lines.start();
        accessLogger.addAppender(lines);
    }

    @AfterEach
    void restoreTheAccessLog() {
        accessLogger.detachAppender(lines);
        accessLogger.setLevel(previousLevel);
    }

    private static MockServerWebExchange exchange(String uri) {
        return MockServerWebExchange.from(MockServerHttpRequest.get(uri)
                .remoteAddress(new InetSocketAddress("10.1.2.3", 40_000)));
    }

    @Test
    void routedRequestThenOneLineWithMethodPathStatusRouteUserAndClientButNoQuery() {
        accessLogger.setLevel(Level.INFO);
        MockServerWebExchange exchange = exchange("/api/v1/issued-coupons?access_token=secret&page=2");
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR,
                Route.async().id("issued-coupons").uri("http://backend:8083").predicate(e -> true).build());
        exchange.getAttributes().put(CallerIdentity.ATTRIBUTE, new CallerIdentity(42, "SHOPPER", "session-1"));

        filter.filter(exchange, e -> {
            e.getResponse().setStatusCode(HttpStatus.CREATED);
            return Mono.empty();
        }).block();

        assertThat(lines.list).hasSize(1);
        String line = lines.list.get(0).getFormattedMessage();
        assertThat(line).startsWith("GET /api/v1/issued-coupons status=201 durationMs=")
                .contains("route=issued-coupons", "user=42", "client=10.1.2.3")
                .doesNotContain("secret", "page=2", "?");
        assertThat(lines.list.get(0).getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void failedRequestThenOneLineWithTheStatusTheClientGets() {
        accessLogger.setLevel(Level.INFO);

        filter.filter(exchange("/api/v1/nothing"),
                        e -> Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND)))
                .onErrorComplete()
                .block();

        assertThat(lines.list).singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage())
                        .startsWith("GET /api/v1/nothing status=404 ")
                        .contains("route=-", "user=-"));
    }

    @Test
    void cancelledRequestThenOneLineMarkedCancelled() {
        accessLogger.setLevel(Level.INFO);

        filter.filter(exchange("/api/v1/notifications/stream"), e -> Mono.never()).subscribe().dispose();

        assertThat(lines.list).singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage()).endsWith(" cancelled=true"));
    }

    @Test
    void loggerOffThenNothingFormattedAndTheRequestLeftUndecorated() {
        accessLogger.setLevel(Level.WARN);
        ServerWebExchange exchange = exchange("/api/v1/stores");
        Mono<Void> downstream = Mono.empty();

        Mono<Void> result = filter.filter(exchange, e -> downstream);
        result.block();

        assertThat(result).isSameAs(downstream);
        assertThat(lines.list).isEmpty();
    }

    @Test
    void manyRequestsThenOneLineEach() {
        accessLogger.setLevel(Level.INFO);

        for (String path : List.of("/api/v1/stores", "/api/v1/coupons", "/api/v1/coupons/7")) {
            filter.filter(exchange(path), e -> Mono.empty()).block();
        }

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .satisfiesExactly(
                        line -> assertThat(line).startsWith("GET /api/v1/stores "),
                        line -> assertThat(line).startsWith("GET /api/v1/coupons "),
                        line -> assertThat(line).startsWith("GET /api/v1/coupons/7 "));
    }
}
