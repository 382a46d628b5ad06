package dev.couponhub.gateway.routing;

import java.util.List;

import io.netty.handler.codec.http2.HttpConversionUtil;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
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
 */
@Component
class H2cStreamProxy implements GatewayFilter {

    /** Just before {@link NettyRoutingFilter}, after every other filter of the route and the global ones. */
    static final int ORDER = NettyRoutingFilter.ORDER - 1;

    private static final String STREAM_ID_HEADER = HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text().toString();

    private final NettyRoutingFilter h2c;

    H2cStreamProxy(HttpClient httpClient, ObjectProvider<List<HttpHeadersFilter>> headersFilters,
                   HttpClientProperties properties) {
        this.h2c = new NettyRoutingFilter(httpClient.protocol(HttpProtocol.H2C), headersFilters, properties);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        // Netty's HTTP/2-to-HTTP/1 conversion adds the backend's stream id as a header; it is not the client's
        exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(
                () -> exchange.getResponse().getHeaders().remove(STREAM_ID_HEADER)));
        return h2c.filter(exchange, chain);
    }
}
