package dev.couponhub.gateway.edge;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.micrometer.tracing.handler.TracingObservationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.couponhub.gateway.auth.CallerIdentity;
import dev.couponhub.gateway.auth.PartnerIdentity;
import dev.couponhub.gateway.problem.GatewayError;

/**
 * One log line per request (logger {@code dev.couponhub.gateway.access}) with method, path, status,
 * duration, route, caller, client address and trace id. The query string is never logged: it may carry an access
 * token.
 *
 * <p>The trace id is read from the request's server observation, not from the logging context: the gateway does not
 * copy the trace context into every reactive operator ({@code spring.reactor.context-propagation} stays
 * {@code limited}), which cost a tenth of its CPU per request (issue 13's profile), so the log pattern's correlation
 * part is empty on lines logged inside the reactive pipeline.
 *
 * <p>Operators need the line, so it stays, on Spring Boot's console appender. What it costs is kept to the line
 * itself: while the logger is off the request is passed on untouched (no operator, no clock read, nothing
 * formatted), and when it is on the message is formatted once, by the appender, from its parameters.
 */
@Component
class AccessLogFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger("dev.couponhub.gateway.access");

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!log.isInfoEnabled()) {
            return chain.filter(exchange);
        }
        long start = System.nanoTime();
        return chain.filter(exchange)
                .doOnSuccess(done -> log(exchange, start, statusOf(exchange), ""))
                .doOnError(ex -> log(exchange, start, GatewayError.of(ex).status().value(), ""))
                .doOnCancel(() -> log(exchange, start, statusOf(exchange), " cancelled=true"));
    }

    private static int statusOf(ServerWebExchange exchange) {
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        return status != null ? status.value() : 200;
    }

    private static void log(ServerWebExchange exchange, long start, int status, String suffix) {
        ServerHttpRequest request = exchange.getRequest();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        CallerIdentity caller = exchange.getAttribute(CallerIdentity.ATTRIBUTE);
        PartnerIdentity partner = exchange.getAttribute(PartnerIdentity.ATTRIBUTE);
        InetSocketAddress remote = request.getRemoteAddress();
        log.info("{} {} status={} durationMs={} route={} user={} client={} trace={}{}",
                request.getMethod(), request.getURI().getRawPath(), status, millis,
                route != null ? route.getId() : "-",
                caller != null ? caller.userId() : partner != null ? "key:" + partner.keyId() : "-",
                remote != null && remote.getAddress() != null ? remote.getAddress().getHostAddress() : "-",
                traceIdOf(exchange), suffix);
    }

    /** The trace id of the request's server observation, or "-" when it is not traced. */
    private static String traceIdOf(ServerWebExchange exchange) {
        return ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .map(context -> context.<TracingObservationHandler.TracingContext>get(
                        TracingObservationHandler.TracingContext.class))
                .map(TracingObservationHandler.TracingContext::getSpan)
                .map(span -> span.context().traceId())
                .orElse("-");
    }
}
