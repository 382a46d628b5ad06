package dev.couponhub.gateway.edge;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.couponhub.gateway.config.CorsProperties;
import dev.couponhub.gateway.problem.ProblemWriter;

/**
 * CORS for browser front ends, applied before authentication so that preflight requests need no token.
 * Like Spring's {@code CorsWebFilter}, but a rejected cross-origin request gets a problem body.
 */
@Component
class CorsFilter implements WebFilter, Ordered {

    static final int ORDER = PathGuardFilter.ORDER + 10;

    private final CorsConfiguration configuration;
    private final DefaultCorsProcessor processor = new DefaultCorsProcessor();
    private final ProblemWriter problems;

    CorsFilter(CorsProperties properties, ProblemWriter problems) {
        this.problems = problems;
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(properties.allowedOrigins());
        config.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        config.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "Idempotency-Key",
                "Last-Event-ID"));
        config.setExposedHeaders(List.of(HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER));
        config.setAllowCredentials(false);
        config.setMaxAge(properties.maxAge());
        this.configuration = config;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!CorsUtils.isCorsRequest(request)) {
            return chain.filter(exchange);
        }
        boolean valid = processor.process(configuration, exchange);
        if (!valid) {
            return problems.write(exchange, HttpStatus.FORBIDDEN, "FORBIDDEN",
                    "Cross-origin request rejected: origin, method or headers are not allowed.");
        }
        if (CorsUtils.isPreFlightRequest(request)) {
            exchange.getResponse().setStatusCode(HttpStatus.OK);
            return exchange.getResponse().setComplete();
        }
        return chain.filter(exchange);
    }
}
