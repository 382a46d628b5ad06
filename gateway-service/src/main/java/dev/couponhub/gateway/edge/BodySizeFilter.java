package dev.couponhub.gateway.edge;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.couponhub.gateway.config.RequestLimitsProperties;
import dev.couponhub.gateway.problem.ProblemWriter;

/**
 * Refuses request bodies larger than {@code couponhub.gateway.request.max-body-size} with 413
 * {@code PAYLOAD_TOO_LARGE} before any service sees them. A body with a {@code Content-Length} is judged by it alone;
 * a chunked body (no length announced) is read up to the limit and then passed on whole with its length, so that a
 * body too large is refused before the request is routed, never half sent.
 */
@Component
class BodySizeFilter implements WebFilter, Ordered {

    static final int ORDER = CorsFilter.ORDER + 10;

    private final ProblemWriter problems;
    private final long maxBytes;

    BodySizeFilter(ProblemWriter problems, RequestLimitsProperties limits) {
        this.problems = problems;
        this.maxBytes = limits.maxBodySize().toBytes();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        long length = headers.getContentLength();
        if (length > maxBytes) {
            return tooLarge(exchange);
        }
        if (length >= 0 || !headers.containsKey(HttpHeaders.TRANSFER_ENCODING)) {
            return chain.filter(exchange);
        }
        return DataBufferUtils.join(exchange.getRequest().getBody(), (int) Math.min(maxBytes, Integer.MAX_VALUE))
                .map(joined -> {
                    // a heap copy: the garbage collector frees it whether or not a later filter reads the body
                    byte[] bytes = new byte[joined.readableByteCount()];
                    joined.read(bytes);
                    DataBufferUtils.release(joined);
                    return exchange.mutate().request(whole(exchange.getRequest(),
                            DefaultDataBufferFactory.sharedInstance.wrap(bytes))).build();
                })
                .switchIfEmpty(Mono.fromSupplier(() -> exchange.mutate()
                        .request(whole(exchange.getRequest(), null)).build()))
                .flatMap(chain::filter)
                .onErrorResume(DataBufferLimitException.class, e -> tooLarge(exchange));
    }

    private static ServerHttpRequest whole(ServerHttpRequest request, DataBuffer body) {
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(request.getHeaders());
        headers.remove(HttpHeaders.TRANSFER_ENCODING);
        headers.setContentLength(body == null ? 0 : body.readableByteCount());
        return new ServerHttpRequestDecorator(request) {
            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }

            @Override
            public Flux<DataBuffer> getBody() {
                return body == null ? Flux.empty() : Flux.just(body);
            }
        };
    }

    private Mono<Void> tooLarge(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().setConnection("close");
        return problems.write(exchange, HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                "The request body is larger than " + maxBytes + " bytes.",
                problem -> problem.setProperty("errors", List.of(Map.of("field", "body",
                        "message", "must be at most " + maxBytes + " bytes"))));
    }
}
