package dev.couponhub.gateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.netty.handler.codec.http2.HttpConversionUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

/**
 * The alert stream's proxy over HTTP/2 without TLS (h2c, prior knowledge), on the stream route only
 * ({@code couponhub.gateway.services.notification-stream-h2c}): Spring Cloud Gateway's own routing filter with the
 * gateway's HTTP client (its pool, time-outs and observation) switched to h2c, run just before the shared one, which
 * then sees the request routed and leaves it. notification-service accepts up to 100 streams on one connection, so
 * the streams of thousands of subscribers share a few connections instead of holding a socket each on both sides;
 * the pool opens another connection when one is full. Every other route keeps HTTP/1.1.
 *
 * <p>A notification-service that speaks HTTP/1.1 only (an older version, while a deploy or a rollback replaces the
 * services one after another) fails the h2c attempt before any response: the request then goes on over HTTP/1.1
 * through the shared routing filter, and so does every stream for {@link #HTTP11_FOR} after, so that a mixed
 * version costs one failed connection a minute, not a lost stream.
 */
@Component
class H2cStreamProxy implements GatewayFilter {

    /** Just before {@link NettyRoutingFilter}, after every other filter of the route and the global ones. */
    static final int ORDER = NettyRoutingFilter.ORDER - 1;

    /** How long streams go over HTTP/1.1 after an h2c attempt failed. */
    static final Duration HTTP11_FOR = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(H2cStreamProxy.class);
    private static final String STREAM_ID_HEADER = HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text().toString();

    private final NettyRoutingFilter h2c;
    private final Clock clock;
    private volatile long http11UntilMillis;

    H2cStreamProxy(HttpClient httpClient, ObjectProvider<List<HttpHeadersFilter>> headersFilters,
                   HttpClientProperties properties, Clock clock) {
        this.h2c = new NettyRoutingFilter(httpClient.protocol(HttpProtocol.H2C), headersFilters, properties);
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (clock.millis() < http11UntilMillis) {
            return chain.filter(exchange);
        }
        // Netty's HTTP/2-to-HTTP/1 conversion adds the backend's stream id as a header; it is not the client's
        exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(
                () -> exchange.getResponse().getHeaders().remove(STREAM_ID_HEADER)));
        return h2c.filter(exchange, chain).onErrorResume(error -> {
            // no response has arrived (the filter completes once its headers have): try HTTP/1.1 once
            if (clock.millis() >= http11UntilMillis) {
                log.warn("The alert stream could not be proxied over h2c ({}); HTTP/1.1 for the next {} s",
                        error.toString(), HTTP11_FOR.toSeconds());
            }
            http11UntilMillis = clock.millis() + HTTP11_FOR.toMillis();
            ServerWebExchangeUtils.removeAlreadyRouted(exchange);
            return chain.filter(exchange);
        });
    }
}
